package dev.parley.jakarta;

import java.lang.reflect.InvocationTargetException;
import java.util.function.Supplier;

/**
 * Where instances of annotated namespace classes come from: the CDI container when one runs (so
 * they can {@code @Inject} services), else the public no-argument constructor.
 */
public final class NamespaceInstances {

    private NamespaceInstances() {
    }

    /** A supplier of the instance of {@code type}, asked on first use. */
    public static Supplier<Object> of(Class<?> type) {
        return () -> {
            Object bean = cdiAvailable() ? CdiLookup.bean(type) : null;
            return bean != null ? bean : construct(type);
        };
    }

    /** Made with the no-argument constructor, outside any container. */
    public static Supplier<Object> constructed(Class<?> type) {
        return () -> construct(type);
    }

    private static boolean cdiAvailable() {
        try {
            Class.forName("jakarta.enterprise.inject.spi.CDI", false, NamespaceInstances.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Object construct(Class<?> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new NamespaceDefinitionException(type.getName()
                    + " needs a public no-argument constructor (or to be a CDI bean)");
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructing " + type.getName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }
}
