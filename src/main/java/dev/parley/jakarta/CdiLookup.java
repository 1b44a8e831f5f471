package dev.parley.jakarta;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;

/** Isolates every reference to CDI, so the rest works where the CDI API is absent. */
final class CdiLookup {

    private CdiLookup() {
    }

    /** The bean of this type, or null when no CDI container runs or it is not a bean. */
    static Object bean(Class<?> type) {
        CDI<Object> cdi;
        try {
            cdi = CDI.current();
        } catch (IllegalStateException noContainer) {
            return null;
        }
        Instance<?> instance = cdi.select(type);
        return instance.isResolvable() ? instance.get() : null;
    }
}
