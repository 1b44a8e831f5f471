package dev.parley.client;

import java.util.Objects;

/**
 * Settings of a {@link ParleyClient}: the server's Engine.IO path (default {@code /socket.io/})
 * and how long to wait for the connection to open (default 10 s).
 */
public final class ClientOptions {

    private final String path;
    private final long connectTimeoutMillis;

    private ClientOptions(String path, long connectTimeoutMillis) {
        this.path = path;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    public static ClientOptions defaults() {
        return new ClientOptions("/socket.io/", 10_000);
    }

    public ClientOptions path(String newPath) {
        Objects.requireNonNull(newPath, "path");
        String p = newPath.startsWith("/") ? newPath : "/" + newPath;
        return new ClientOptions(p.endsWith("/") ? p : p + "/", connectTimeoutMillis);
    }

    public ClientOptions connectTimeout(long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        return new ClientOptions(path, millis);
    }

    public String path() {
        return path;
    }

    public long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }
}
