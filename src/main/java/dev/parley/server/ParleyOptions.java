package dev.parley.server;

import dev.parley.adapter.AdapterFactory;

import dev.parley.auth.HandshakeAuthenticator;
import dev.parley.engine.EngineOptions;
import dev.parley.engine.TokenBucket;
import java.util.Objects;

/**
 * Settings of a {@link ParleyServer}: the engine's ({@link EngineOptions}) plus the Socket.IO
 * layer's. Defaults follow the reference server: connectTimeout 45 s, client bundle served, at most
 * 10 binary attachments per packet. Security defaults: no authenticator (everyone connects anonymously unless middleware refuses), at most
 * 32 namespaces per connection, no event rate limit, sessions kept past their token's expiry.
 * Connection state recovery is off unless {@code recoveryMaxDisconnection} is set.
 */
public final class ParleyOptions {

    private final EngineOptions engine;
    private final long connectTimeoutMillis;
    private final boolean serveClient;
    private final boolean metrics;
    private final String metricsPath;
    private final boolean health;
    private final String healthPath;
    private final int maxAttachments;
    private final long maxAttachmentBytes;
    private final long maxAttachmentBytesSet; // as given, 0 for the default: toBuilder keeps it derived
    private final long attachmentTimeoutMillis;
    private final HandshakeAuthenticator authenticator;
    private final HandshakeAuthenticator connectAuthenticator;
    private final boolean disconnectOnExpiry;
    private final int maxNamespaces;
    private final double eventRate;
    private final int eventBurst;
    private final int eventBurstSet; // as given, 0 for one second's worth: toBuilder keeps it derived
    private final int maxRefusedEvents;
    private final int maxRefusedEventsSet; // as given, 0 for twice the burst: toBuilder keeps it derived
    private final long recoveryMaxDisconnectionMillis;
    private final boolean recoverySkipMiddlewares;
    private final int recoveryMaxPackets;
    private final AdapterFactory adapterFactory;
    private final AdminUiOptions adminUi;

    private ParleyOptions(Builder b) {
        this.engine = Objects.requireNonNull(b.engine, "engine");
        if (b.connectTimeoutMillis <= 0) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + b.connectTimeoutMillis);
        }
        if (b.maxAttachments < 1) {
            throw new IllegalArgumentException("maxAttachments must be at least 1, got " + b.maxAttachments);
        }
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.serveClient = b.serveClient;
        if (b.metricsPath == null || !b.metricsPath.startsWith("/") || b.metricsPath.length() < 2) {
            throw new IllegalArgumentException("metricsPath must start with / and name something, got " + b.metricsPath);
        }
        this.metrics = b.metrics;
        this.metricsPath = b.metricsPath;
        if (b.healthPath == null || !b.healthPath.startsWith("/") || b.healthPath.length() < 2 || b.healthPath.endsWith("/")) {
            throw new IllegalArgumentException("healthPath must start with /, name something and not end with /, got "
                    + b.healthPath);
        }
        this.health = b.health;
        this.healthPath = b.healthPath;
        this.maxAttachments = b.maxAttachments;
        if (b.maxAttachmentBytes < 0) {
            throw new IllegalArgumentException("maxAttachmentBytes must not be negative (0: the default), got "
                    + b.maxAttachmentBytes);
        }
        this.maxAttachmentBytesSet = b.maxAttachmentBytes;
        this.maxAttachmentBytes = b.maxAttachmentBytes > 0 ? b.maxAttachmentBytes
                : (long) maxAttachments * engine.maxPayload();
        if (b.attachmentTimeoutMillis <= 0) {
            throw new IllegalArgumentException("attachmentTimeout must be positive, got " + b.attachmentTimeoutMillis);
        }
        this.attachmentTimeoutMillis = b.attachmentTimeoutMillis;
        this.authenticator = b.authenticator;
        this.connectAuthenticator = b.connectAuthenticator;
        this.disconnectOnExpiry = b.disconnectOnExpiry;
        if (b.maxNamespaces < 1) {
            throw new IllegalArgumentException("maxNamespaces must be at least 1, got " + b.maxNamespaces);
        }
        this.maxNamespaces = b.maxNamespaces;
        if (b.eventRate < 0 || Double.isNaN(b.eventRate)) {
            throw new IllegalArgumentException("eventRate must not be negative, got " + b.eventRate);
        }
        this.eventRate = b.eventRate;
        this.eventBurstSet = Math.max(0, b.eventBurst);
        this.eventBurst = TokenBucket.burstOrDefault(b.eventRate, eventBurstSet);
        this.maxRefusedEventsSet = Math.max(0, b.maxRefusedEvents);
        this.maxRefusedEvents = maxRefusedEventsSet > 0 ? maxRefusedEventsSet : 2 * this.eventBurst;
        if (b.recoveryMaxDisconnectionMillis < 0) {
            throw new IllegalArgumentException("recoveryMaxDisconnection must not be negative (0: off), got "
                    + b.recoveryMaxDisconnectionMillis);
        }
        if (b.recoveryMaxPackets < 1) {
            throw new IllegalArgumentException("recoveryMaxPackets must be at least 1, got " + b.recoveryMaxPackets);
        }
        this.recoveryMaxDisconnectionMillis = b.recoveryMaxDisconnectionMillis;
        this.recoverySkipMiddlewares = b.recoverySkipMiddlewares;
        this.recoveryMaxPackets = b.recoveryMaxPackets;
        this.adapterFactory = Objects.requireNonNull(b.adapterFactory, "adapterFactory");
        this.adminUi = Objects.requireNonNull(b.adminUi, "adminUi");
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ParleyOptions defaults() {
        return builder().build();
    }

    /** A builder holding these settings, to derive variants. */
    public Builder toBuilder() {
        return new Builder().engine(engine).connectTimeout(connectTimeoutMillis).serveClient(serveClient)
                .metrics(metrics).metricsPath(metricsPath).health(health).healthPath(healthPath)
                .maxAttachments(maxAttachments).maxAttachmentBytes(maxAttachmentBytesSet)
                .attachmentTimeout(attachmentTimeoutMillis).authenticator(authenticator).connectAuthenticator(connectAuthenticator).disconnectOnExpiry(disconnectOnExpiry)
                .maxNamespaces(maxNamespaces).eventRate(eventRate, eventBurstSet).maxRefusedEvents(maxRefusedEventsSet)
                .recoveryMaxDisconnection(recoveryMaxDisconnectionMillis).recoverySkipMiddlewares(recoverySkipMiddlewares)
                .recoveryMaxPackets(recoveryMaxPackets).adapterFactory(adapterFactory).adminUi(adminUi);
    }

    public EngineOptions engine() {
        return engine;
    }

    /** How long a connection may stay without joining any namespace before it is closed. */
    public long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /** Whether {@code <path>socket.io.min.js} is served. */
    public boolean serveClient() {
        return serveClient;
    }

    /**
     * Whether the bootstrap serves metrics ({@code dev.parley.metrics}) at {@link #metricsPath()}.
     * The model only carries the choice; it counts the same either way ({@link ServerStats}).
     */
    public boolean metrics() {
        return metrics;
    }

    /** Where the bootstrap serves metrics (Prometheus text), under the context root in a WAR. */
    public String metricsPath() {
        return metricsPath;
    }

    /**
     * Whether the bootstrap serves the health endpoints ({@link ParleyServer#liveness()} and
     * {@link ParleyServer#readiness()}) at {@link #healthPath()}{@code /live} and {@code /ready}.
     */
    public boolean health() {
        return health;
    }

    /** Where the health endpoints are served (under the context root in a WAR), without a trailing slash. */
    public String healthPath() {
        return healthPath;
    }

    /** The Socket.IO Admin UI's settings ({@link AdminUiOptions#OFF} by default), read by the bootstraps. */
    public AdminUiOptions adminUi() {
        return adminUi;
    }

    /** Most binary attachments one packet may announce (the reference parser's limit is 10 too). */
    public int maxAttachments() {
        return maxAttachments;
    }

    /**
     * Most bytes the binary attachments of one packet may hold together, all buffered until the
     * packet is whole; default {@link #maxAttachments()} × max-payload, as much as the reference
     * server accepts. More closes the connection with {@code parse error}.
     */
    public long maxAttachmentBytes() {
        return maxAttachmentBytes;
    }

    /**
     * How long the attachments a packet announced may take to arrive; a connection still missing
     * some then is closed with {@code parse error}, so a client cannot pin buffered attachments.
     */
    public long attachmentTimeoutMillis() {
        return attachmentTimeoutMillis;
    }

    /**
     * Runs at every Engine.IO handshake, before a session exists; its identity becomes every
     * socket's {@link Socket#principal()}. {@code null}: none (namespace middleware may still
     * authenticate with {@link Authorize#authenticate}).
     */
    public HandshakeAuthenticator authenticator() {
        return authenticator;
    }

    /**
     * Runs at every namespace CONNECT, before the namespace's own middleware, where it also sees
     * the {@code auth} payload ({@code io({auth: {token}})}); its identity becomes the socket's
     * {@link Socket#principal()}. {@code null}: none. The usual place for a JWT authenticator.
     */
    public HandshakeAuthenticator connectAuthenticator() {
        return connectAuthenticator;
    }

    /** Whether a socket is disconnected when its identity's credentials expire (a JWT's exp). */
    public boolean disconnectOnExpiry() {
        return disconnectOnExpiry;
    }

    /** Most namespaces one connection may join; more CONNECTs get a {@code connect_error}. */
    public int maxNamespaces() {
        return maxNamespaces;
    }

    /** Events per second one socket may send, on average; 0 for no limit. */
    public double eventRate() {
        return eventRate;
    }

    /** Events a socket may send at once before {@link #eventRate()} applies. */
    public int eventBurst() {
        return eventBurst;
    }

    /**
     * Events dropped for rate in a row (with no time for the bucket to refill in between) after
     * which the connection is closed; default twice the burst.
     */
    public int maxRefusedEvents() {
        return maxRefusedEvents;
    }

    /**
     * Connection state recovery: how long a socket that lost its connection (transport closed or
     * failed, ping timeout, server close) is kept, with its rooms, {@code data} and the events it
     * misses, for its client to come back to with the same id ({@link Socket#recovered()}); 0, the
     * default, turns recovery off (no {@code pid} in CONNECT replies, no offsets on events).
     */
    public long recoveryMaxDisconnectionMillis() {
        return recoveryMaxDisconnectionMillis;
    }

    /** Whether recovery is on ({@link #recoveryMaxDisconnectionMillis()} > 0). */
    public boolean recoveryEnabled() {
        return recoveryMaxDisconnectionMillis > 0;
    }

    /** Whether a recovered socket skips the namespace's middleware (default true, as the reference). */
    public boolean recoverySkipMiddlewares() {
        return recoverySkipMiddlewares;
    }

    /**
     * Most events a namespace keeps for recovery (default 10,000); a client that missed events no
     * longer kept gets a fresh session ({@link dev.parley.adapter.RecoveryFailure#MISSED_PACKETS_BEYOND_BOUND}).
     */
    public int recoveryMaxPackets() {
        return recoveryMaxPackets;
    }

    /**
     * Makes each namespace's adapter ({@link AdapterFactory#IN_MEMORY} by default: this node alone).
     * With recovery on, the in-memory adapter keeps sessions; a multi-node adapter keeps them only if
     * it says so.
     */
    public AdapterFactory adapterFactory() {
        return adapterFactory;
    }

    /** Mutable builder for {@link ParleyOptions}. */
    public static final class Builder {
        private EngineOptions engine = EngineOptions.defaults();
        private long connectTimeoutMillis = 45_000;
        private boolean serveClient = true;
        private boolean metrics;
        private String metricsPath = "/parley/metrics";
        private boolean health = true;
        private String healthPath = "/parley/health";
        private int maxAttachments = 10;
        private long maxAttachmentBytes;
        private long attachmentTimeoutMillis = 30_000;
        private HandshakeAuthenticator authenticator;
        private HandshakeAuthenticator connectAuthenticator;
        private boolean disconnectOnExpiry;
        private int maxNamespaces = 32;
        private double eventRate;
        private int eventBurst;
        private int maxRefusedEvents;
        private long recoveryMaxDisconnectionMillis;
        private boolean recoverySkipMiddlewares = true;
        private int recoveryMaxPackets = 10_000;
        private AdapterFactory adapterFactory = AdapterFactory.IN_MEMORY;
        private AdminUiOptions adminUi = AdminUiOptions.OFF;

        private Builder() {
        }

        public Builder adminUi(AdminUiOptions options) {
            this.adminUi = options;
            return this;
        }

        /** The server owns the factory from then on: it closes it when it closes. */
        public Builder adapterFactory(AdapterFactory factory) {
            this.adapterFactory = factory;
            return this;
        }

        /** 0: recovery off (the default). */
        public Builder recoveryMaxDisconnection(long millis) {
            this.recoveryMaxDisconnectionMillis = millis;
            return this;
        }

        public Builder recoverySkipMiddlewares(boolean skip) {
            this.recoverySkipMiddlewares = skip;
            return this;
        }

        public Builder recoveryMaxPackets(int max) {
            this.recoveryMaxPackets = max;
            return this;
        }

        public Builder authenticator(HandshakeAuthenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        public Builder connectAuthenticator(HandshakeAuthenticator authenticator) {
            this.connectAuthenticator = authenticator;
            return this;
        }

        public Builder disconnectOnExpiry(boolean disconnect) {
            this.disconnectOnExpiry = disconnect;
            return this;
        }

        public Builder maxNamespaces(int max) {
            this.maxNamespaces = max;
            return this;
        }

        /**
         * @param perSecond events per second per socket (0: no limit)
         * @param burst     events at once (0: one second's worth)
         */
        public Builder eventRate(double perSecond, int burst) {
            this.eventRate = perSecond;
            this.eventBurst = burst;
            return this;
        }

        /** The rate alone, the burst as it was (0: one second's worth of the new rate). */
        public Builder eventRate(double perSecond) {
            return eventRate(perSecond, eventBurst);
        }

        /** The burst alone (0: one second's worth of the rate). */
        public Builder eventBurst(int burst) {
            return eventRate(eventRate, burst);
        }

        /** 0: twice the burst. */
        public Builder maxRefusedEvents(int max) {
            this.maxRefusedEvents = max;
            return this;
        }

        public Builder engine(EngineOptions engine) {
            this.engine = engine;
            return this;
        }

        public Builder connectTimeout(long millis) {
            this.connectTimeoutMillis = millis;
            return this;
        }

        public Builder serveClient(boolean serve) {
            this.serveClient = serve;
            return this;
        }

        /** Serve metrics at {@link #metricsPath}; off by default (the standalone server turns it on). */
        public Builder metrics(boolean serve) {
            this.metrics = serve;
            return this;
        }

        public Builder metricsPath(String path) {
            this.metricsPath = path;
            return this;
        }

        /** Serve the health endpoints at {@link #healthPath}; on by default, standalone and in a WAR. */
        public Builder health(boolean serve) {
            this.health = serve;
            return this;
        }

        public Builder healthPath(String path) {
            this.healthPath = path;
            return this;
        }

        public Builder maxAttachments(int max) {
            this.maxAttachments = max;
            return this;
        }

        /** 0: the default, maxAttachments × the engine's maxPayload. */
        public Builder maxAttachmentBytes(long bytes) {
            this.maxAttachmentBytes = bytes;
            return this;
        }

        public Builder attachmentTimeout(long millis) {
            this.attachmentTimeoutMillis = millis;
            return this;
        }

        public ParleyOptions build() {
            return new ParleyOptions(this);
        }
    }
}
