package dev.parley.metrics;

/**
 * Whether Micrometer's Prometheus registry is on the class path. It is an optional dependency of
 * the library (as the JWT and Redis libraries are): the standalone jar carries it, a WAR (the demo
 * WAR too) only when it declares it. A bootstrap asks here before it touches any class that
 * links Micrometer, so {@code metrics=true} without it fails the start saying what is missing.
 */
public final class MetricsSupport {

    static final String REGISTRY_CLASS = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

    private MetricsSupport() {
    }

    /** Whether micrometer-registry-prometheus (and so micrometer-core) can be loaded. */
    public static boolean available() {
        try {
            Class.forName(REGISTRY_CLASS, false, MetricsSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** @throws IllegalStateException naming what to add when {@link #available()} is false */
    public static void check() {
        if (!available()) {
            throw new IllegalStateException("metrics=true needs io.micrometer:micrometer-registry-prometheus "
                    + "on the class path (add it to the application, or set metrics=false)");
        }
    }
}
