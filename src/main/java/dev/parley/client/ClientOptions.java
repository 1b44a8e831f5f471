package dev.parley.client;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

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
 * {@link ClientSocket}), as {@code socket.io-client}'s {@code ackTimeout} and {@code retries};</li>
 * <li>{@link #transports} and {@link #upgrade}: how the connection is carried (default: long-polling first, then
 * upgraded to WebSocket, as socket.io-client);</li>
 * <li>{@link #extraHeaders}, {@link #query}, {@link #sslContext}, {@link #proxy}: what every request of the
 * connection carries and how it reaches the server (defaults: none, none, the JDK's default TLS context, no
 * proxy).</li>
 * </ul>
 */
public final class ClientOptions {

    /** The transport names {@link #transports} takes. */
    public static final String POLLING = "polling";
    public static final String WEBSOCKET = "websocket";

    private final String path;
    private final long connectTimeoutMillis;
    private final boolean reconnection;
    private final int reconnectionAttempts;
    private final long reconnectionDelayMillis;
    private final long reconnectionDelayMaxMillis;
    private final double randomizationFactor;
    private final int sendBufferLimit;
    private final Executor callbackExecutor;
    private final List<String> transports;
    private final boolean upgrade;
    private final Map<String, String> extraHeaders;
    private final Map<String, String> query;
    private final SSLContext sslContext;
    private final ProxySelector proxy;
    private final int retries;
    private final long ackTimeoutMillis;

    /** The mutable values a wither changes one of before they are frozen into a new instance. */
    private static final class Draft {
        String path;
        long connectTimeoutMillis;
        boolean reconnection;
        int reconnectionAttempts;
        long reconnectionDelayMillis;
        long reconnectionDelayMaxMillis;
        double randomizationFactor;
        int sendBufferLimit;
        Executor callbackExecutor;
        List<String> transports;
        boolean upgrade;
        Map<String, String> extraHeaders;
        Map<String, String> query;
        SSLContext sslContext;
        ProxySelector proxy;
        int retries;
        long ackTimeoutMillis;
    }

    private ClientOptions(Draft d) {
        this.path = d.path;
        this.connectTimeoutMillis = d.connectTimeoutMillis;
        this.reconnection = d.reconnection;
        this.reconnectionAttempts = d.reconnectionAttempts;
        this.reconnectionDelayMillis = d.reconnectionDelayMillis;
        this.reconnectionDelayMaxMillis = d.reconnectionDelayMaxMillis;
        this.randomizationFactor = d.randomizationFactor;
        this.sendBufferLimit = d.sendBufferLimit;
        this.callbackExecutor = d.callbackExecutor;
        this.transports = d.transports;
        this.upgrade = d.upgrade;
        this.extraHeaders = d.extraHeaders;
        this.query = d.query;
        this.sslContext = d.sslContext;
        this.proxy = d.proxy;
        this.retries = d.retries;
        this.ackTimeoutMillis = d.ackTimeoutMillis;
    }

    private Draft draft() {
        Draft d = new Draft();
        d.path = path;
        d.connectTimeoutMillis = connectTimeoutMillis;
        d.reconnection = reconnection;
        d.reconnectionAttempts = reconnectionAttempts;
        d.reconnectionDelayMillis = reconnectionDelayMillis;
        d.reconnectionDelayMaxMillis = reconnectionDelayMaxMillis;
        d.randomizationFactor = randomizationFactor;
        d.sendBufferLimit = sendBufferLimit;
        d.callbackExecutor = callbackExecutor;
        d.transports = transports;
        d.upgrade = upgrade;
        d.extraHeaders = extraHeaders;
        d.query = query;
        d.sslContext = sslContext;
        d.proxy = proxy;
        d.retries = retries;
        d.ackTimeoutMillis = ackTimeoutMillis;
        return d;
    }

    public static ClientOptions defaults() {
        Draft d = new Draft();
        d.path = "/socket.io/";
        d.connectTimeoutMillis = 10_000;
        d.reconnection = true;
        d.reconnectionAttempts = Integer.MAX_VALUE;
        d.reconnectionDelayMillis = 1000;
        d.reconnectionDelayMaxMillis = 5000;
        d.randomizationFactor = 0.5;
        d.sendBufferLimit = 1000;
        d.transports = List.of(POLLING, WEBSOCKET);
        d.upgrade = true;
        d.extraHeaders = Map.of();
        d.query = Map.of();
        return new ClientOptions(d);
    }

    public ClientOptions path(String newPath) {
        Objects.requireNonNull(newPath, "path");
        String p = newPath.startsWith("/") ? newPath : "/" + newPath;
        Draft d = draft();
        d.path = p.endsWith("/") ? p : p + "/";
        return new ClientOptions(d);
    }

    public ClientOptions connectTimeout(long millis) {
        positive(millis, "connectTimeout");
        Draft d = draft();
        d.connectTimeoutMillis = millis;
        return new ClientOptions(d);
    }

    /** Whether a connection lost without {@link ParleyClient#close()} is reopened. */
    public ClientOptions reconnection(boolean enabled) {
        Draft d = draft();
        d.reconnection = enabled;
        return new ClientOptions(d);
    }

    /** Attempts after one loss before giving up ({@code reconnect_failed}); {@link Integer#MAX_VALUE}: unlimited. */
    public ClientOptions reconnectionAttempts(int attempts) {
        positive(attempts, "reconnectionAttempts");
        Draft d = draft();
        d.reconnectionAttempts = attempts;
        return new ClientOptions(d);
    }

    /** The delay before the first attempt; each further attempt doubles it, up to {@link #reconnectionDelayMax}. */
    public ClientOptions reconnectionDelay(long millis) {
        positive(millis, "reconnectionDelay");
        Draft d = draft();
        d.reconnectionDelayMillis = millis;
        return new ClientOptions(d);
    }

    public ClientOptions reconnectionDelayMax(long millis) {
        positive(millis, "reconnectionDelayMax");
        Draft d = draft();
        d.reconnectionDelayMaxMillis = millis;
        return new ClientOptions(d);
    }

    /** From 0 (every delay exact) to 1 (each delay anywhere from 0 to twice itself). */
    public ClientOptions randomizationFactor(double factor) {
        if (!(factor >= 0 && factor <= 1)) {
            throw new IllegalArgumentException("randomizationFactor must be within [0, 1]");
        }
        Draft d = draft();
        d.randomizationFactor = factor;
        return new ClientOptions(d);
    }

    /** Packets one namespace buffers while disconnected; the next emit is refused ({@link SendBufferFullException}). */
    public ClientOptions sendBufferLimit(int packets) {
        positive(packets, "sendBufferLimit");
        Draft d = draft();
        d.sendBufferLimit = packets;
        return new ClientOptions(d);
    }

    /**
     * Where listeners, lifecycle events and the completions of {@link ClientSocket#connected()} and ack futures
     * run, one task after the other in arrival order whatever the executor (the client serialises them); the
     * client never shuts a given executor down. Null: the client's own daemon thread {@code parley-client-events}.
     */
    public ClientOptions callbackExecutor(Executor executor) {
        Draft d = draft();
        d.callbackExecutor = executor;
        return new ClientOptions(d);
    }

    /**
     * The transports, in the order they are tried, as socket.io-client's {@code transports}: {@code
     * ["polling", "websocket"]} (the default) opens the session with long-polling, then upgrades it to a WebSocket
     * when the server offers it and {@link #upgrade} is on (a failed probe stays on polling); {@code
     * ["websocket"]} WebSocket only; {@code ["polling"]} polling only; {@code ["websocket", "polling"]} WebSocket
     * first, and polling when the WebSocket handshake fails ({@link ParleyClient#onTransportFallback}).
     */
    public ClientOptions transports(List<String> names) {
        if (names.isEmpty() || names.size() > 2 || names.stream().distinct().count() != names.size()
                || !names.stream().allMatch(n -> n.equals(POLLING) || n.equals(WEBSOCKET))) {
            throw new IllegalArgumentException("transports must be \"polling\" and/or \"websocket\", each once: "
                    + names);
        }
        Draft d = draft();
        d.transports = List.copyOf(names);
        return new ClientOptions(d);
    }

    /** Whether a polling session moves to a WebSocket when the server offers it (default true). */
    public ClientOptions upgrade(boolean enabled) {
        Draft d = draft();
        d.upgrade = enabled;
        return new ClientOptions(d);
    }

    /**
     * Headers sent with the polling handshake, every polling request and the WebSocket upgrade request, e.g.
     * {@code Authorization} (the server reads them in {@code socket.handshake().headers()}). Headers the JDK's
     * HttpClient restricts ({@code Host}, {@code Connection}, {@code Upgrade}, ...) are refused by it.
     */
    public ClientOptions extraHeaders(Map<String, String> headers) {
        Draft d = draft();
        d.extraHeaders = Map.copyOf(headers);
        return new ClientOptions(d);
    }

    /** Parameters added, URL-encoded, to every request's URL (the server reads them in the handshake's query). */
    public ClientOptions query(Map<String, String> parameters) {
        Draft d = draft();
        d.query = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        return new ClientOptions(d);
    }

    /** The TLS context for https and wss (e.g. one trusting a private CA); null: the JDK's default. */
    public ClientOptions sslContext(SSLContext context) {
        Draft d = draft();
        d.sslContext = context;
        return new ClientOptions(d);
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
        Draft d = draft();
        d.retries = n;
        return new ClientOptions(d);
    }

    /**
     * The ack timeout of {@link ClientSocket#emitWithAck(String, Object...)} and of each try of a retried emit;
     * 0: none (an ack is awaited until it comes or the connection is lost).
     */
    public ClientOptions ackTimeout(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("ackTimeout must not be negative");
        }
        Draft d = draft();
        d.ackTimeoutMillis = millis;
        return new ClientOptions(d);
    }

    public int retries() {
        return retries;
    }

    public long ackTimeoutMillis() {
        return ackTimeoutMillis;
    }

    /** An HTTP proxy for polling requests (absolute URIs, or CONNECT for https) and WebSockets (CONNECT). */
    public ClientOptions proxy(String host, int port) {
        return proxy(ProxySelector.of(InetSocketAddress.createUnresolved(host, port)));
    }

    /** An HTTP proxy chosen per URL; null: none. */
    public ClientOptions proxy(ProxySelector selector) {
        Draft d = draft();
        d.proxy = selector;
        return new ClientOptions(d);
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

    public List<String> transports() {
        return transports;
    }

    public boolean upgrade() {
        return upgrade;
    }

    public Map<String, String> extraHeaders() {
        return extraHeaders;
    }

    public Map<String, String> query() {
        return query;
    }

    /** The TLS context given, or null for the JDK's default. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** The proxy selector given, or null for none. */
    public ProxySelector proxy() {
        return proxy;
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
