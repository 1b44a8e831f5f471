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
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            ParleyServer server = SERVERS.get(l);
            if (server != null) {
                return server;
            }
        }
        throw new IllegalStateException("no Parley server is deployed for this application");
    }
}
