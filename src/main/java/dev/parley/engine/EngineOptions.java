package dev.parley.engine;

import java.util.List;
import java.util.Objects;

/**
 * The settings of an {@link EngineServer}, immutable. Defaults are the reference server's:
 * pingInterval 25 s, pingTimeout 20 s, maxPayload ({@code maxHttpBufferSize}) 1 MB, upgrade
 * timeout 10 s, both transports with upgrades allowed, path {@code /socket.io/}. Security
 * defaults: only same-origin pages (and non-browser clients, which send no Origin) may connect;
 * no connection or handshake-rate limits; a session's unsent packets are capped at
 * {@link #maxBufferedBytes()}; a session may be used from any address.
 */
public final class EngineOptions {

    public static final String POLLING = "polling";
    public static final String WEBSOCKET = "websocket";

    private final String path;
    private final long pingIntervalMillis;
    private final long pingTimeoutMillis;
    private final long upgradeTimeoutMillis;
    private final int maxPayload;
    private final List<String> transports;
    private final boolean allowUpgrades;
    private final List<String> allowedOrigins;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final double handshakeRatePerAddress;
    private final int handshakeBurstPerAddress;
    private final int handshakeBurstSet; // as given, 0 for one second's worth: toBuilder keeps it derived
    /**
     * The default of {@link #maxBufferedPackets()}: at a few hundred bytes of bookkeeping per waiting
     * packet, about as much memory as the default {@code max-buffered-bytes} again in the worst case
     * (tiny packets), and more than a healthy client has waiting under any broadcast burst we bench.
     */
    public static final int DEFAULT_MAX_BUFFERED_PACKETS = 10_000;

    private final long maxBufferedBytes;
    private final long maxBufferedBytesSet; // as given, 0 for the default: toBuilder keeps it derived
    private final int maxBufferedPackets;
    private final OutboundBound outboundBound; // one per engine, shared by its sessions
    private final boolean bindSessionToAddress;
    private final long httpHeaderTimeoutMillis;
    private final long httpKeepAliveTimeoutMillis;
    private final long httpBodyTimeoutMillis;
    private final boolean nativeWebSocketWrites;
    private final long shutdownGraceMillis;
    private final Compression compression;

    private EngineOptions(Builder b) {
        this.path = normalisePath(b.path);
        this.pingIntervalMillis = positive("pingInterval", b.pingIntervalMillis);
        this.pingTimeoutMillis = positive("pingTimeout", b.pingTimeoutMillis);
        this.upgradeTimeoutMillis = positive("upgradeTimeout", b.upgradeTimeoutMillis);
        this.maxPayload = (int) positive("maxPayload", b.maxPayload);
        if (b.transports.isEmpty()) {
            throw new IllegalArgumentException("at least one transport is required");
        }
        this.transports = List.copyOf(b.transports);
        this.allowUpgrades = b.allowUpgrades;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.maxConnections = (int) notNegative("maxConnections", b.maxConnections);
        this.maxConnectionsPerAddress = (int) notNegative("maxConnectionsPerAddress", b.maxConnectionsPerAddress);
        if (b.handshakeRatePerAddress < 0 || Double.isNaN(b.handshakeRatePerAddress)) {
            throw new IllegalArgumentException("handshakeRate must not be negative, got " + b.handshakeRatePerAddress);
        }
        this.handshakeRatePerAddress = b.handshakeRatePerAddress;
        this.handshakeBurstSet = Math.max(0, b.handshakeBurstPerAddress);
        this.handshakeBurstPerAddress = TokenBucket.burstOrDefault(b.handshakeRatePerAddress, handshakeBurstSet);
        this.maxBufferedBytesSet = Math.max(0, b.maxBufferedBytes);
        // The one place this default is computed (the standalone WebSocket writer reads the result).
        this.maxBufferedBytes = b.maxBufferedBytes > 0 ? b.maxBufferedBytes
                : Math.max(4L * maxPayload, 4L << 20);
        this.maxBufferedPackets = (int) positive("maxBufferedPackets", b.maxBufferedPackets);
        this.outboundBound = new OutboundBound(maxBufferedBytes, maxBufferedPackets);
        this.bindSessionToAddress = b.bindSessionToAddress;
        this.httpHeaderTimeoutMillis = positive("httpHeaderTimeout", b.httpHeaderTimeoutMillis);
        this.httpKeepAliveTimeoutMillis = positive("httpKeepAliveTimeout", b.httpKeepAliveTimeoutMillis);
        this.httpBodyTimeoutMillis = positive("httpBodyTimeout", b.httpBodyTimeoutMillis);
        this.nativeWebSocketWrites = b.nativeWebSocketWrites;
        this.shutdownGraceMillis = notNegative("shutdownGrace", b.shutdownGraceMillis);
        this.compression = new Compression(b.perMessageDeflate, threshold("perMessageDeflateThreshold",
                b.perMessageDeflateThreshold), b.httpCompression, threshold("httpCompressionThreshold",
                b.httpCompressionThreshold));
    }

    private static int threshold(String name, long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, notNegative(name, bytes));
    }

    private static long notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative (0: no limit), got " + value);
        }
        return value;
    }

    private static long positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }

    private static String normalisePath(String p) {
        Objects.requireNonNull(p, "path");
        String s = p.startsWith("/") ? p : "/" + p;
        return s.endsWith("/") ? s : s + "/";
    }

    public static Builder builder() {
        return new Builder();
    }

    public static EngineOptions defaults() {
        return builder().build();
    }

    /** A builder holding these settings, to derive variants. */
    public Builder toBuilder() {
        return new Builder().path(path).pingInterval(pingIntervalMillis).pingTimeout(pingTimeoutMillis)
                .upgradeTimeout(upgradeTimeoutMillis).maxPayload(maxPayload).transports(transports)
                .allowUpgrades(allowUpgrades).allowedOrigins(allowedOrigins).maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .handshakeRate(handshakeRatePerAddress, handshakeBurstSet).maxBufferedBytes(maxBufferedBytesSet)
                .maxBufferedPackets(maxBufferedPackets)
                .bindSessionToAddress(bindSessionToAddress).httpBodyTimeout(httpBodyTimeoutMillis)
                .httpHeaderTimeout(httpHeaderTimeoutMillis).httpKeepAliveTimeout(httpKeepAliveTimeoutMillis)
                .nativeWebSocketWrites(nativeWebSocketWrites).shutdownGrace(shutdownGraceMillis)
                .perMessageDeflate(compression.perMessageDeflate())
                .perMessageDeflateThreshold(compression.perMessageDeflateThreshold())
                .httpCompression(compression.httpCompression())
                .httpCompressionThreshold(compression.httpCompressionThreshold());
    }

    /** The mount path, always with leading and trailing slash, e.g. {@code /socket.io/}. */
    public String path() {
        return path;
    }

    public long pingIntervalMillis() {
        return pingIntervalMillis;
    }

    public long pingTimeoutMillis() {
        return pingTimeoutMillis;
    }

    public long upgradeTimeoutMillis() {
        return upgradeTimeoutMillis;
    }

    /** Largest accepted message or POST body in bytes (the reference's {@code maxHttpBufferSize}). */
    public int maxPayload() {
        return maxPayload;
    }

    public List<String> transports() {
        return transports;
    }

    public boolean allows(String transport) {
        return transports.contains(transport);
    }

    /** Whether a polling session may upgrade to WebSocket (only if both transports are on). */
    public boolean allowUpgrades() {
        return allowUpgrades && transports.contains(WEBSOCKET) && transports.contains(POLLING);
    }

    /**
     * Origins of other sites allowed to connect, on both transports ({@code https://app.example.com});
     * {@code "*"} allows any. A request from the server's own origin, or without an Origin header
     * (not a browser), is always allowed. Polling responses carry CORS headers for these origins.
     */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Most open sessions on this server; 0 for no limit. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Most open sessions from one remote address; 0 for no limit. */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** Handshakes per second allowed from one remote address, on average; 0 for no limit. */
    public double handshakeRatePerAddress() {
        return handshakeRatePerAddress;
    }

    /** Handshakes one address may make at once before {@link #handshakeRatePerAddress()} applies. */
    public int handshakeBurstPerAddress() {
        return handshakeBurstPerAddress;
    }

    /**
     * Most bytes a session may have waiting for its client (a polling client that stops polling):
     * beyond it the session is closed. Default 4 × maxPayload, at least 4 MiB.
     */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /**
     * Most packets a session may have waiting for its client, counted as {@link #maxBufferedBytes()}
     * is (in the session and in its transport's writer): many small packets cost more memory than
     * their bytes say (an object and a frame each). Default {@value #DEFAULT_MAX_BUFFERED_PACKETS}.
     */
    public int maxBufferedPackets() {
        return maxBufferedPackets;
    }

    /** {@link #maxBufferedBytes()} and {@link #maxBufferedPackets()} as the rule sessions apply. */
    public OutboundBound outboundBound() {
        return outboundBound;
    }

    /** Whether a session may only be used from the address that opened it. */
    public boolean bindSessionToAddress() {
        return bindSessionToAddress;
    }

    /**
     * Most milliseconds an HTTP connection may take to send a request's headers, counted from the
     * connection's opening or from the end of the previous response; then it is answered 408 (or
     * just closed if it sent nothing). Enforced by the standalone server only: in a WAR the
     * container's connector has its own timeouts. Default 20 s.
     */
    public long httpHeaderTimeoutMillis() {
        return httpHeaderTimeoutMillis;
    }

    /**
     * Most milliseconds a kept-alive HTTP connection may stay idle between a response and the next
     * request before it is closed (Node's {@code keepAliveTimeout}). Enforced by the standalone
     * server only, like {@link #httpHeaderTimeoutMillis()}. Default 5 s.
     */
    public long httpKeepAliveTimeoutMillis() {
        return httpKeepAliveTimeoutMillis;
    }

    /**
     * Most milliseconds a polling POST may take to deliver its whole body once its headers are in;
     * past it the request is answered 408 and its connection closed. Default 60 s.
     */
    public long httpBodyTimeoutMillis() {
        return httpBodyTimeoutMillis;
    }

    /**
     * Whether WebSocket frames go through the container's own channel where Parley knows it (Tyrus's
     * writer on Payara and the standalone server, Undertow's channel on WildFly): a broadcast's
     * frame encoded once for all recipients, a connection's waiting frames written together. When
     * false, or in a container Parley does not know, every frame is sent through the portable
     * Jakarta WebSocket API. Default true.
     */
    public boolean nativeWebSocketWrites() {
        return nativeWebSocketWrites;
    }

    /**
     * How long {@link EngineServer#close()} lets sessions deliver what is buffered for them (a
     * polling client's next poll, a WebSocket's queued frames) before it closes whatever is left;
     * {@code 0}: close at once.
     */
    public long shutdownGraceMillis() {
        return shutdownGraceMillis;
    }

    /** What is compressed (permessage-deflate, polling responses) and from how many bytes; see {@link Compression}. */
    public Compression compression() {
        return compression;
    }

    /** Mutable builder for {@link EngineOptions}; {@link #build()} validates. */
    public static final class Builder {
        private String path = "/socket.io/";
        private long pingIntervalMillis = 25_000;
        private long pingTimeoutMillis = 20_000;
        private long upgradeTimeoutMillis = 10_000;
        private long maxPayload = 1_000_000;
        private List<String> transports = List.of(POLLING, WEBSOCKET);
        private boolean allowUpgrades = true;
        private List<String> allowedOrigins = List.of();
        private long maxConnections;
        private long maxConnectionsPerAddress;
        private double handshakeRatePerAddress;
        private int handshakeBurstPerAddress;
        private long maxBufferedBytes;
        private long maxBufferedPackets = DEFAULT_MAX_BUFFERED_PACKETS;
        private boolean bindSessionToAddress;
        private long httpHeaderTimeoutMillis = 20_000;
        private long httpKeepAliveTimeoutMillis = 5_000;
        private long httpBodyTimeoutMillis = 60_000;
        private boolean nativeWebSocketWrites = true;
        private long shutdownGraceMillis = 5_000;
        private boolean perMessageDeflate = Compression.DEFAULTS.perMessageDeflate();
        private long perMessageDeflateThreshold = Compression.DEFAULTS.perMessageDeflateThreshold();
        private boolean httpCompression = Compression.DEFAULTS.httpCompression();
        private long httpCompressionThreshold = Compression.DEFAULTS.httpCompressionThreshold();

        private Builder() {
        }

        public Builder path(String path) {
            this.path = path;
            return this;
        }

        public Builder pingInterval(long millis) {
            this.pingIntervalMillis = millis;
            return this;
        }

        public Builder pingTimeout(long millis) {
            this.pingTimeoutMillis = millis;
            return this;
        }

        public Builder upgradeTimeout(long millis) {
            this.upgradeTimeoutMillis = millis;
            return this;
        }

        public Builder maxPayload(long bytes) {
            this.maxPayload = bytes;
            return this;
        }

        /** @throws IllegalArgumentException for a name other than {@link #POLLING} and {@link #WEBSOCKET} */
        public Builder transports(List<String> transports) {
            for (String t : transports) {
                if (!t.equals(POLLING) && !t.equals(WEBSOCKET)) {
                    throw new IllegalArgumentException("unknown transport '" + t + "' (polling, websocket)");
                }
            }
            this.transports = List.copyOf(transports);
            return this;
        }

        public Builder allowUpgrades(boolean allow) {
            this.allowUpgrades = allow;
            return this;
        }

        public Builder allowedOrigins(List<String> origins) {
            this.allowedOrigins = List.copyOf(origins);
            return this;
        }

        public Builder maxConnections(long max) {
            this.maxConnections = max;
            return this;
        }

        public Builder maxConnectionsPerAddress(long max) {
            this.maxConnectionsPerAddress = max;
            return this;
        }

        /** @param perSecond average handshakes per second per address (0: no limit); burst 0: one second's worth */
        public Builder handshakeRate(double perSecond, int burst) {
            this.handshakeRatePerAddress = perSecond;
            this.handshakeBurstPerAddress = burst;
            return this;
        }

        /** The rate alone, the burst as it was (0: one second's worth of the new rate). */
        public Builder handshakeRate(double perSecond) {
            return handshakeRate(perSecond, handshakeBurstPerAddress);
        }

        /** The burst alone (0: one second's worth of the rate). */
        public Builder handshakeBurst(int burst) {
            return handshakeRate(handshakeRatePerAddress, burst);
        }

        /** 0: the default, 4 × maxPayload and at least 4 MiB. */
        public Builder maxBufferedBytes(long bytes) {
            this.maxBufferedBytes = bytes;
            return this;
        }

        /** Packets that may wait for one client before it is dropped as a slow consumer; positive. */
        public Builder maxBufferedPackets(long packets) {
            this.maxBufferedPackets = Math.min(Integer.MAX_VALUE, packets);
            return this;
        }

        public Builder bindSessionToAddress(boolean bind) {
            this.bindSessionToAddress = bind;
            return this;
        }

        public Builder httpHeaderTimeout(long millis) {
            this.httpHeaderTimeoutMillis = millis;
            return this;
        }

        public Builder httpKeepAliveTimeout(long millis) {
            this.httpKeepAliveTimeoutMillis = millis;
            return this;
        }

        /** Time a polling POST body may take to arrive, in milliseconds (see {@link EngineOptions#httpBodyTimeoutMillis()}). */
        public Builder httpBodyTimeout(long millis) {
            this.httpBodyTimeoutMillis = millis;
            return this;
        }

        /** See {@link EngineOptions#shutdownGraceMillis()}. */
        public Builder shutdownGrace(long millis) {
            this.shutdownGraceMillis = millis;
            return this;
        }

        /** See {@link EngineOptions#nativeWebSocketWrites()}. */
        public Builder nativeWebSocketWrites(boolean nativeWrites) {
            this.nativeWebSocketWrites = nativeWrites;
            return this;
        }

        /** Whether WebSocket clients may negotiate permessage-deflate (see {@link Compression}); default false. */
        public Builder perMessageDeflate(boolean on) {
            this.perMessageDeflate = on;
            return this;
        }

        /** Bytes from which a WebSocket message is deflated; default 1024. */
        public Builder perMessageDeflateThreshold(long bytes) {
            this.perMessageDeflateThreshold = bytes;
            return this;
        }

        /** Whether polling responses are gzip/deflate-compressed for clients that accept it; default true. */
        public Builder httpCompression(boolean on) {
            this.httpCompression = on;
            return this;
        }

        /** Bytes from which a polling response body is compressed; default 1024. */
        public Builder httpCompressionThreshold(long bytes) {
            this.httpCompressionThreshold = bytes;
            return this;
        }

        public EngineOptions build() {
            if (maxConnections > Integer.MAX_VALUE || maxConnectionsPerAddress > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connection limits must be at most " + Integer.MAX_VALUE);
            }
            if (maxPayload > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxPayload must be at most " + Integer.MAX_VALUE);
            }
            return new EngineOptions(this);
        }
    }
}
