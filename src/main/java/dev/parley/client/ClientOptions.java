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
 * {@code parley-client-events} per client, stopped by {@link ParleyClient#close()});</li>
 * <li>{@link #ackTimeout} how long an ack is awaited when the emit names no timeout (default 0: no limit), and
 * {@link #retries} how many times an unacknowledged emit is sent again (default 0: off; see
 * {@link ClientSocket}), as {@code socket.io-client}'s {@code ackTimeout} and {@code retries}.</li>
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
    private final int retries;
    private final long ackTimeoutMillis;

    private ClientOptions(String path, long connectTimeoutMillis, boolean reconnection, int reconnectionAttempts,
            long reconnectionDelayMillis, long reconnectionDelayMaxMillis, double randomizationFactor,
            int sendBufferLimit, Executor callbackExecutor, int retries, long ackTimeoutMillis) {
        this.path = path;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.reconnection = reconnection;
        this.reconnectionAttempts = reconnectionAttempts;
        this.reconnectionDelayMillis = reconnectionDelayMillis;
        this.reconnectionDelayMaxMillis = reconnectionDelayMaxMillis;
        this.randomizationFactor = randomizationFactor;
        this.sendBufferLimit = sendBufferLimit;
        this.callbackExecutor = callbackExecutor;
        this.retries = retries;
        this.ackTimeoutMillis = ackTimeoutMillis;
    }

    public static ClientOptions defaults() {
        return new ClientOptions("/socket.io/", 10_000, true, Integer.MAX_VALUE, 1000, 5000, 0.5, 1000, null, 0, 0);
    }

    public ClientOptions path(String newPath) {
        Objects.requireNonNull(newPath, "path");
        String p = newPath.startsWith("/") ? newPath : "/" + newPath;
        return new ClientOptions(p.endsWith("/") ? p : p + "/", connectTimeoutMillis, reconnection,
                reconnectionAttempts, reconnectionDelayMillis, reconnectionDelayMaxMillis, randomizationFactor,
                sendBufferLimit, callbackExecutor, retries, ackTimeoutMillis);
    }

    public ClientOptions connectTimeout(long millis) {
        positive(millis, "connectTimeout");
        return new ClientOptions(path, millis, reconnection, reconnectionAttempts, reconnectionDelayMillis,
                reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, callbackExecutor,
                retries, ackTimeoutMillis);
    }

    /** Whether a connection lost without {@link ParleyClient#close()} is reopened. */
    public ClientOptions reconnection(boolean enabled) {
        return new ClientOptions(path, connectTimeoutMillis, enabled, reconnectionAttempts, reconnectionDelayMillis,
                reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, callbackExecutor,
                retries, ackTimeoutMillis);
    }

    /** Attempts after one loss before giving up ({@code reconnect_failed}); {@link Integer#MAX_VALUE}: unlimited. */
    public ClientOptions reconnectionAttempts(int attempts) {
        positive(attempts, "reconnectionAttempts");
        return new ClientOptions(path, connectTimeoutMillis, reconnection, attempts, reconnectionDelayMillis,
                reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, callbackExecutor,
                retries, ackTimeoutMillis);
    }

    /** The delay before the first attempt; each further attempt doubles it, up to {@link #reconnectionDelayMax}. */
    public ClientOptions reconnectionDelay(long millis) {
        positive(millis, "reconnectionDelay");
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts, millis,
                reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, callbackExecutor,
                retries, ackTimeoutMillis);
    }

    public ClientOptions reconnectionDelayMax(long millis) {
        positive(millis, "reconnectionDelayMax");
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, millis, randomizationFactor, sendBufferLimit, callbackExecutor,
                retries, ackTimeoutMillis);
    }

    /** From 0 (every delay exact) to 1 (each delay anywhere from 0 to twice itself). */
    public ClientOptions randomizationFactor(double factor) {
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("randomizationFactor must be within [0, 1]");
        }
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, reconnectionDelayMaxMillis, factor, sendBufferLimit, callbackExecutor,
                retries, ackTimeoutMillis);
    }

    /** Packets one namespace buffers while disconnected; the next emit is refused ({@link SendBufferFullException}). */
    public ClientOptions sendBufferLimit(int packets) {
        positive(packets, "sendBufferLimit");
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, reconnectionDelayMaxMillis, randomizationFactor, packets, callbackExecutor,
                retries, ackTimeoutMillis);
    }

    /**
     * Where listeners, lifecycle events and the completions of {@link ClientSocket#connected()} and ack futures
     * run, one task after the other in arrival order whatever the executor (the client serialises them); the
     * client never shuts a given executor down. Null: the client's own daemon thread {@code parley-client-events}.
     */
    public ClientOptions callbackExecutor(Executor executor) {
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit, executor,
                retries, ackTimeoutMillis);
    }

    /**
     * With {@code n > 0}, every emit of a namespace goes through its queue, one in flight at a time and each with
     * an ack, sent again when not acknowledged within {@link #ackTimeout} (or after a reconnection), at most
     * {@code n} times more (at-least-once delivery: the server may see an event twice). 0: off.
     */
    public ClientOptions retries(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit,
                callbackExecutor, n, ackTimeoutMillis);
    }

    /**
     * The ack timeout of {@link ClientSocket#emitWithAck(String, Object...)} and of each try of a retried emit;
     * 0: none (an ack is awaited until it comes or the connection is lost).
     */
    public ClientOptions ackTimeout(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("ackTimeout must not be negative");
        }
        return new ClientOptions(path, connectTimeoutMillis, reconnection, reconnectionAttempts,
                reconnectionDelayMillis, reconnectionDelayMaxMillis, randomizationFactor, sendBufferLimit,
                callbackExecutor, retries, millis);
    }

    public int retries() {
        return retries;
    }

    public long ackTimeoutMillis() {
        return ackTimeoutMillis;
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
