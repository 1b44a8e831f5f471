package dev.parley.jakarta;

import dev.parley.server.ParleyServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ParleyServer} of each deployed application, by the application's class loader, so
 * CDI (or any code of the application) can find its own server. Entries leave on undeploy.
 */
public final class ParleyRegistry {

    private static final Map<ClassLoader, ParleyServer> SERVERS = new ConcurrentHashMap<>();

    private ParleyRegistry() {
    }

    static void register(ClassLoader loader, ParleyServer server) {
        SERVERS.put(loader, server);
    }

    static void unregister(ClassLoader loader) {
        SERVERS.remove(loader);
    }

    /** The server of the calling application (by the thread's context class loader). */
    public static ParleyServer current() {
        ParleyServer server = of(Thread.currentThread().getContextClassLoader());
        if (server == null) {
            throw new IllegalStateException("no Parley server is deployed for this application");
        }
        return server;
    }

    /**
     * The server of the application whose class loader is {@code loader} or one of its parents, or
     * null: for code called on a container's thread, whose context class loader may not be the
     * application's (the MicroProfile Health checks pass their own class's loader).
     */
    static ParleyServer of(ClassLoader loader) {
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            ParleyServer server = SERVERS.get(l);
            if (server != null) {
                return server;
            }
        }
        return null;
    }
}
