package dev.parley.server;

import dev.parley.engine.EngineOptions;
import java.util.Objects;

/**
 * Settings of a {@link ParleyServer}: the engine's ({@link EngineOptions}) plus the Socket.IO
 * layer's. Defaults follow the reference server: connectTimeout 45 s, client bundle served.
 */
public final class ParleyOptions {

    private final EngineOptions engine;
    private final long connectTimeoutMillis;
    private final boolean serveClient;
    private final int maxAttachments;

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
        this.maxAttachments = b.maxAttachments;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ParleyOptions defaults() {
        return builder().build();
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

    /** Most binary attachments one packet may announce. */
    public int maxAttachments() {
        return maxAttachments;
    }

    /** Mutable builder for {@link ParleyOptions}. */
    public static final class Builder {
        private EngineOptions engine = EngineOptions.defaults();
        private long connectTimeoutMillis = 45_000;
        private boolean serveClient = true;
        private int maxAttachments = 64;

        private Builder() {
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

        public Builder maxAttachments(int max) {
            this.maxAttachments = max;
            return this;
        }

        public ParleyOptions build() {
            return new ParleyOptions(this);
        }
    }
}
