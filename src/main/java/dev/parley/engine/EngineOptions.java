package dev.parley.engine;

import java.util.List;
import java.util.Objects;

/**
 * The settings of an {@link EngineServer}, immutable. Defaults are the reference server's:
 * pingInterval 25 s, pingTimeout 20 s, maxPayload ({@code maxHttpBufferSize}) 1 MB, upgrade
 * timeout 10 s, both transports with upgrades allowed, path {@code /socket.io/}, no CORS.
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
    private final List<String> corsOrigins;

    private EngineOptions(Builder b) {
        this.path = normalisePath(b.path);
        this.pingIntervalMillis = positive("pingInterval", b.pingIntervalMillis);
        this.pingTimeoutMillis = positive("pingTimeout", b.pingTimeoutMillis);
        this.upgradeTimeoutMillis = positive("upgradeTimeout", b.upgradeTimeoutMillis);
        this.maxPayload = (int) positive("maxPayload", b.maxPayload);
        for (String t : b.transports) {
            if (!t.equals(POLLING) && !t.equals(WEBSOCKET)) {
                throw new IllegalArgumentException("unknown transport '" + t + "' (polling, websocket)");
            }
        }
        if (b.transports.isEmpty()) {
            throw new IllegalArgumentException("at least one transport is required");
        }
        this.transports = List.copyOf(b.transports);
        this.allowUpgrades = b.allowUpgrades;
        this.corsOrigins = List.copyOf(b.corsOrigins);
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
                .allowUpgrades(allowUpgrades).corsOrigins(corsOrigins);
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

    /** Origins allowed by CORS on polling responses; {@code "*"} allows any. Empty: no CORS headers. */
    public List<String> corsOrigins() {
        return corsOrigins;
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
        private List<String> corsOrigins = List.of();

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

        public Builder transports(List<String> transports) {
            this.transports = List.copyOf(transports);
            return this;
        }

        public Builder allowUpgrades(boolean allow) {
            this.allowUpgrades = allow;
            return this;
        }

        public Builder corsOrigins(List<String> origins) {
            this.corsOrigins = List.copyOf(origins);
            return this;
        }

        public EngineOptions build() {
            if (maxPayload > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxPayload must be at most " + Integer.MAX_VALUE);
            }
            return new EngineOptions(this);
        }
    }
}
