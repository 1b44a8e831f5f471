package dev.parley.server;

import dev.parley.engine.EngineOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Parley's settings by name, one name per setting everywhere: {@code --ping-interval} on the
 * standalone command line, {@code parley.ping-interval} as servlet context parameter or system
 * property, {@code PARLEY_PING_INTERVAL} as environment variable. {@link #options} reads them from
 * layered sources, highest first, and refuses invalid values with a message naming the setting
 * and where its value came from.
 */
public final class ParleySettings {

    /** A place settings come from: the value of a setting by its name, or null. */
    public interface Source {
        String get(String name);

        /** How this source spells a setting, for error messages, e.g. "system property parley.path". */
        String describe(String name);
    }

    public static final String PATH = "path";
    public static final String PING_INTERVAL = "ping-interval";
    public static final String PING_TIMEOUT = "ping-timeout";
    public static final String UPGRADE_TIMEOUT = "upgrade-timeout";
    public static final String MAX_PAYLOAD = "max-payload";
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    public static final String MAX_ATTACHMENTS = "max-attachments";
    public static final String MAX_ATTACHMENT_BYTES = "max-attachment-bytes";
    public static final String ATTACHMENT_TIMEOUT = "attachment-timeout";
    public static final String TRANSPORTS = "transports";
    public static final String ALLOWED_ORIGINS = "allowed-origins";
    public static final String MAX_CONNECTIONS = "max-connections";
    public static final String MAX_CONNECTIONS_PER_ADDRESS = "max-connections-per-address";
    public static final String HANDSHAKE_RATE = "handshake-rate";
    public static final String HANDSHAKE_BURST = "handshake-burst";
    public static final String MAX_BUFFERED_BYTES = "max-buffered-bytes";
    public static final String BIND_SESSION_TO_ADDRESS = "bind-session-to-address";
    public static final String HTTP_BODY_TIMEOUT = "http-body-timeout";
    public static final String MAX_NAMESPACES = "max-namespaces";
    public static final String EVENT_RATE = "event-rate";
    public static final String EVENT_BURST = "event-burst";
    public static final String DISCONNECT_ON_EXPIRY = "disconnect-on-expiry";
    public static final String AUTH = "auth";
    public static final String JWT_SECRET = "jwt-secret";
    public static final String JWT_PUBLIC_KEY = "jwt-public-key";
    public static final String JWT_JWKS = "jwt-jwks";
    public static final String JWT_ISSUER = "jwt-issuer";
    public static final String JWT_AUDIENCE = "jwt-audience";
    public static final String JWT_CLOCK_SKEW = "jwt-clock-skew";
    public static final String JWT_ROLES_CLAIM = "jwt-roles-claim";
    public static final String CONTAINER_ROLES = "container-roles";
    public static final String SERVE_CLIENT = "serve-client";
    public static final String ADAPTER = "adapter";
    public static final String HTTP_HEADER_TIMEOUT = "http-header-timeout";
    public static final String HTTP_KEEP_ALIVE_TIMEOUT = "http-keep-alive-timeout";

    /** Every setting name. */
    public static final List<String> NAMES = List.of(PATH, PING_INTERVAL, PING_TIMEOUT, UPGRADE_TIMEOUT, MAX_PAYLOAD,
            CONNECT_TIMEOUT, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, ATTACHMENT_TIMEOUT, TRANSPORTS, ALLOWED_ORIGINS,
            SERVE_CLIENT, ADAPTER, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS, HANDSHAKE_RATE, HANDSHAKE_BURST, MAX_BUFFERED_BYTES, BIND_SESSION_TO_ADDRESS,
            MAX_NAMESPACES, EVENT_RATE, EVENT_BURST, DISCONNECT_ON_EXPIRY, AUTH, JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS,
            JWT_ISSUER, JWT_AUDIENCE, JWT_CLOCK_SKEW, JWT_ROLES_CLAIM, CONTAINER_ROLES,
            HTTP_BODY_TIMEOUT, HTTP_HEADER_TIMEOUT, HTTP_KEEP_ALIVE_TIMEOUT);

    private ParleySettings() {
    }

    /** System properties, {@code parley.<name>}. */
    public static Source systemProperties() {
        return named("system property", "parley.", name -> System.getProperty("parley." + name));
    }

    /** Environment variables, {@code PARLEY_<NAME>} with dashes as underscores. */
    public static Source environment() {
        return named("environment variable", "", name -> System.getenv(envName(name)), ParleySettings::envName);
    }

    /** A map of raw values by setting name, described as {@code kind prefix+name}. */
    public static Source of(String kind, String prefix, Map<String, String> values) {
        return named(kind, prefix, values::get);
    }

    static String envName(String name) {
        return "PARLEY_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static Source named(String kind, String prefix, Function<String, String> lookup) {
        return named(kind, prefix, lookup, name -> prefix + name);
    }

    private static Source named(String kind, String prefix, Function<String, String> lookup,
                                Function<String, String> spelling) {
        return new Source() {
            @Override
            public String get(String name) {
                return lookup.apply(name);
            }

            @Override
            public String describe(String name) {
                return kind + " " + spelling.apply(name);
            }
        };
    }

    /**
     * The options {@code base} becomes with the settings found in {@code sources} (first source
     * that has a setting wins).
     *
     * @throws IllegalArgumentException naming the setting and its source when a value is invalid
     */
    public static ParleyOptions options(ParleyOptions base, List<Source> sources) {
        Reader r = new Reader(sources);
        EngineOptions.Builder e = base.engine().toBuilder();
        r.string(PATH, e::path);
        r.number(PING_INTERVAL, e::pingInterval);
        r.number(PING_TIMEOUT, e::pingTimeout);
        r.number(UPGRADE_TIMEOUT, e::upgradeTimeout);
        r.number(MAX_PAYLOAD, e::maxPayload);
        r.list(TRANSPORTS, v -> {
            for (String t : v) {
                if (!t.equals(EngineOptions.POLLING) && !t.equals(EngineOptions.WEBSOCKET)) {
                    throw new IllegalArgumentException("unknown transport '" + t + "' (polling, websocket)");
                }
            }
            e.transports(v);
        });
        r.list(ALLOWED_ORIGINS, e::allowedOrigins);
        r.number(MAX_CONNECTIONS, e::maxConnections);
        r.number(MAX_CONNECTIONS_PER_ADDRESS, e::maxConnectionsPerAddress);
        // A burst left unset (0) means one second's worth of the rate, whichever rate is set.
        double[] handshake = {base.engine().handshakeRatePerAddress(),
            base.engine().handshakeRatePerAddress() > 0 ? base.engine().handshakeBurstPerAddress() : 0};
        r.number(HANDSHAKE_RATE, v -> handshake[0] = v);
        r.number(HANDSHAKE_BURST, v -> handshake[1] = v);
        e.handshakeRate(handshake[0], (int) Math.min(Integer.MAX_VALUE, handshake[1]));
        r.number(MAX_BUFFERED_BYTES, e::maxBufferedBytes);
        r.bool(BIND_SESSION_TO_ADDRESS, e::bindSessionToAddress);
        r.number(HTTP_BODY_TIMEOUT, e::httpBodyTimeout);
        r.number(HTTP_HEADER_TIMEOUT, e::httpHeaderTimeout);
        r.number(HTTP_KEEP_ALIVE_TIMEOUT, e::httpKeepAliveTimeout);
        ParleyOptions.Builder p = base.toBuilder();
        r.number(CONNECT_TIMEOUT, p::connectTimeout);
        r.number(MAX_ATTACHMENTS, v -> p.maxAttachments((int) Math.min(Integer.MAX_VALUE, v)));
        r.number(MAX_ATTACHMENT_BYTES, p::maxAttachmentBytes);
        r.number(ATTACHMENT_TIMEOUT, p::attachmentTimeout);
        r.number(MAX_NAMESPACES, v -> p.maxNamespaces((int) Math.min(Integer.MAX_VALUE, v)));
        double[] events = {base.eventRate(), base.eventRate() > 0 ? base.eventBurst() : 0};
        r.number(EVENT_RATE, v -> events[0] = v);
        r.number(EVENT_BURST, v -> events[1] = v);
        p.eventRate(events[0], (int) Math.min(Integer.MAX_VALUE, events[1]));
        r.bool(DISCONNECT_ON_EXPIRY, p::disconnectOnExpiry);
        AuthSettings.apply(r, p);
        r.bool(SERVE_CLIENT, p::serveClient);
        r.string(ADAPTER, v -> {
            if (!v.equals("memory")) {
                throw new IllegalArgumentException("unknown adapter '" + v + "' (memory)");
            }
        });
        try {
            return p.engine(e.build()).build();
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException("invalid Parley settings: " + invalid.getMessage(), invalid);
        }
    }

    /** Reads each setting from the first source that has it, wrapping errors with that source. */
    static final class Reader {
        private final List<Source> sources;

        Reader(List<Source> sources) {
            this.sources = new ArrayList<>(sources);
        }

        interface Setter<T> {
            void set(T value);
        }

        private void apply(String name, Setter<String> setter) {
            for (Source s : sources) {
                String raw = s.get(name);
                if (raw != null) {
                    try {
                        setter.set(raw.trim());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(s.describe(name) + "='" + raw + "': " + e.getMessage(), e);
                    }
                    return;
                }
            }
        }

        void string(String name, Setter<String> setter) {
            apply(name, v -> {
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("must not be empty");
                }
                setter.set(v);
            });
        }

        void number(String name, Setter<Long> setter) {
            apply(name, v -> {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a whole number");
                }
                if (n <= 0) {
                    throw new IllegalArgumentException("must be positive");
                }
                setter.set(n);
            });
        }

        void bool(String name, Setter<Boolean> setter) {
            apply(name, v -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException("must be true or false");
                }
                setter.set(Boolean.parseBoolean(v));
            });
        }

        void list(String name, Setter<List<String>> setter) {
            apply(name, v -> setter.set(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toList()));
        }
    }
}
