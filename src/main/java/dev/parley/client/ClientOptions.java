package dev.parley.client;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings of a {@link ParleyClient}, immutable: each wither returns a copy.
 * <ul>
 * <li>{@link #path} the server's Engine.IO path (default {@code /socket.io/});</li>
 * <li>{@link #connectTimeout} how long one attempt waits for the connection to open (default 10 s);</li>
 * <li>{@link #reconnection} whether a lost connection is reopened (default true), with
 * {@link #reconnectionAttempts} (default unlimited), {@link #reconnectionDelay} (default 1 s, doubled on each
 * attempt), {@link #reconnectionDelayMax} (default 5 s) and {@link #randomizationFactor} (default 0.5: each delay
 * moved by up to half of itself, so that clients cut together do not come back together) as
 * {@code socket.io-client}'s {@code Manager};</li>
 * <li>{@link #sendBufferLimit} how many packets a namespace keeps while disconnected (default 1000; one more is
 * refused with {@link SendBufferFullException});</li>
 * <li>{@link #callbackExecutor} where listeners and future completions run (default: one daemon thread
 * {@code parley-client-events} per client, stopped by {@link ParleyClient#close()}).</li>
 * </ul>
 */
public final class ClientOptions {

    private final String path;
    private final long connectTimeoutMillis;
    private final boolean reconnection;
    private final int reconnectionAttempts;
    private final long reconnectionDelayMillis;
    private final long reconnectionDelayMaxMillis;
    private final double randomizationFactor;
    private final int sendBufferLimit;
    private final Executor callbackExecutor;

    private ClientOptions(String path, long connectTimeoutMillis, boolean reconnection, int reconnectionAttempts,
            long reconnectionDelayMillis, long reconnectionDelayMaxMillis, double randomizationFactor,
            int sendBufferLimit, Executor callbackExecutor) {
        this.path = path;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.reconnection = reconnection;
        this.reconnectionAttempts = reconnectionAttempts;
        this.reconnectionDelayMillis = reconnectionDelayMillis;
        this.reconnectionDelayMaxMillis = reconnectionDelayMaxMillis;
        this.randomizationFactor = randomizationFactor;
        this.sendBufferLimit = sendBufferLimit;
        this.callbackExecutor = callbackExecutor;
    }

    public static ClientOptions defaults() {
        return new ClientOptions("/socket.io/", 10_000, true, Integer.MAX_VALUE, 1000, 5000, 0.5, 1000, null);
    }

    public ClientOptions path(String newPath) {
        Objects.requireNonNull(newPath, "path");
        String p = newPath.startsWith("/") ? newPath : "/" + newPath;
        return new ClientOptions(p.endsWith("/") ? p : p + "/", connectTimeoutMillis, reconnection,
                reconnectionAttempts, reconnectionDelayMillis, reconnectionDelayMaxMillis, randomizationFactor,
                sendBufferLimit, callbackExecutor);
    }

    public ClientOptions connectTimeout(long millis) {
        positive(millis, "connectTimeout");
        return new ClientOptions(path, millis, reconnection, reconnectionAttempts, reconnectionDelayMillis,
                reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, callbackExecutor);
    }

    /** Whether a connection lost without {@link ParleyClient#close()} is reopened. */
    public ClientOptions reconnection(boolean enabled) {
        return new ClientOptions(path, connectTimeoutMillis, enabled, reconnectionAttempts, reconnectionDelayMillis,
                reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, callbackExecutor);
    }

    /** Attempts after one loss before giving up ({@code reconnect_failed}); {@link Integer#MAX_VALUE}: unlimited. */
    public ClientOptions reconnectionAttempts(int attempts) {
        positive(attempts, "reconnectionAttempts");
        return new ClientOptions(path, connectTimeoutMillis, reconnection, attempts, reconnectionDelayMillis,
                reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, callbackExecutor);
    }

    /** The delay before the first attempt; each further attempt doubles it, up to {@link #reconnectionDelayMax}. */
    public ClientOptions reconnectionDelay(long millis) {
        positive(millis, "reconnectionDelay");
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts, millis,
                reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, callbackExecutor);
    }

    public ClientOptions reconnectionDelayMax(long millis) {
        positive(millis, "reconnectionDelayMax");
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, millis, randomizationFactor, sendBufferLimit, callbackExecutor);
    }

    /** From 0 (every delay exact) to 1 (each delay anywhere from 0 to twice itself). */
    public ClientOptions randomizationFactor(double factor) {
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("randomizationFactor must be within [0, 1]");
        }
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, reconnectionDelayMaxMillis, factor, sendBufferLimit, callbackExecutor);
    }

    /** Packets one namespace buffers while disconnected; the next emit is refused ({@link SendBufferFullException}). */
    public ClientOptions sendBufferLimit(int packets) {
        positive(packets, "sendBufferLimit");
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, reconnectionDelayMaxMillis, randomizationFactor, packets, callbackExecutor);
    }

    /**
     * Where listeners, lifecycle events and the completions of {@link ClientSocket#connected()} and ack futures
     * run, one task after the other in arrival order whatever the executor (the client serialises them); the
     * client never shuts a given executor down. Null: the client's own daemon thread {@code parley-client-events}.
     */
    public ClientOptions callbackExecutor(Executor executor) {
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, executor);
    }

    public String path() {
        return path;
    }

    public long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public boolean reconnection() {
        return reconnection;
    }

    public int reconnectionAttempts() {
        return reconnectionAttempts;
    }

    public long reconnectionDelayMillis() {
        return reconnectionDelayMillis;
    }

    public long reconnectionDelayMaxMillis() {
        return reconnectionDelayMaxMillis;
    }

    public double randomizationFactor() {
        return randomizationFactor;
    }

    public int sendBufferLimit() {
        return sendBufferLimit;
    }

    /** The executor given, or null for the client's own thread. */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
