package dev.parley.settings;

import static dev.parley.settings.Group.ADMIN_UI;
import static dev.parley.settings.Group.ENGINE_IO;
import static dev.parley.settings.Group.HEALTH;
import static dev.parley.settings.Group.METRICS;
import static dev.parley.settings.Group.SECURITY;
import static dev.parley.settings.Group.SOCKET_IO;
import static dev.parley.settings.Group.STANDALONE;
import static dev.parley.settings.Setting.clampToInt;

import dev.parley.auth.JwtAuthenticator;
import dev.parley.server.ParleyOptions;
import java.util.List;

/**
 * Parley's settings, each declared once here: the standalone flags ({@code --ping-interval}),
 * system properties ({@code -Dparley.ping-interval}), environment variables
 * ({@code PARLEY_PING_INTERVAL}) and WAR context parameters ({@code parley.ping-interval}) are
 * these names; {@code --help} and the README's settings tables are generated from them
 * ({@link SettingsDocumentation}). {@link #options} reads them from layered sources, highest
 * first, and refuses an invalid value naming the setting and where its value came from.
 *
 * <p>Adding a setting is one declaration in {@link #ALL} (whose {@code appliedBy} calls the
 * builder method of {@link dev.parley.engine.EngineOptions} or {@link ParleyOptions} that holds
 * it) plus its use.
 */
public final class Settings {

    /** Every setting, by group; within a group in the order {@code --help} lists them and values are applied. */
    public static final List<Setting<?>> ALL = List.of(
            // Engine.IO
            Setting.of("path", ENGINE_IO, Kind.text("PATH"), "Engine.IO path (under the context root in a WAR)")
                    .defaultFrom(o -> o.engine().path()).appliedBy((d, v) -> d.engine.path(v)),
            Setting.of("ping-interval", ENGINE_IO, Kind.MILLIS, "ms between server pings")
                    .defaultFrom(o -> o.engine().pingIntervalMillis()).appliedBy((d, v) -> d.engine.pingInterval(v)),
            Setting.of("ping-timeout", ENGINE_IO, Kind.MILLIS, "ms to wait for the pong")
                    .defaultFrom(o -> o.engine().pingTimeoutMillis()).appliedBy((d, v) -> d.engine.pingTimeout(v)),
            Setting.of("upgrade-timeout", ENGINE_IO, Kind.MILLIS, "ms for a polling-to-WebSocket upgrade")
                    .defaultFrom(o -> o.engine().upgradeTimeoutMillis())
                    .appliedBy((d, v) -> d.engine.upgradeTimeout(v)),
            Setting.of("max-payload", ENGINE_IO, Kind.BYTES, "largest message or POST body, bytes")
                    .defaultFrom(o -> o.engine().maxPayload()).appliedBy((d, v) -> d.engine.maxPayload(v)),
            Setting.of("transports", ENGINE_IO, Kind.LIST, "allowed transports: `polling`, `websocket` or both")
                    .defaultFrom(o -> o.engine().transports()).appliedBy((d, v) -> d.engine.transports(v)),
            Setting.of("websocket-writes", ENGINE_IO, Kind.choice("websocket-writes", "native", "portable"),
                    "`native`: WebSocket frames through the container's own channel where Parley knows it (Tyrus "
                    + "on Payara and the standalone server, Undertow on WildFly), a broadcast framed once and a "
                    + "client's waiting frames written together; `portable`: always the Jakarta WebSocket API")
                    .defaultFrom(o -> o.engine().nativeWebSocketWrites() ? "native" : "portable")
                    .appliedBy((d, v) -> d.engine.nativeWebSocketWrites("native".equals(v))),
            Setting.of("http-body-timeout", ENGINE_IO, Kind.MILLIS, "ms a polling POST may take to send its whole "
                    + "body; past it: 408 `{\"code\":3,...}` with `Connection: close`, and that session ends")
                    .defaultFrom(o -> o.engine().httpBodyTimeoutMillis())
                    .appliedBy((d, v) -> d.engine.httpBodyTimeout(v)),
            Setting.of("shutdown-grace", ENGINE_IO, Kind.MILLIS_OR_OFF, "ms a stopping server (SIGTERM, undeploy) "
                    + "gives every client to receive what is buffered for it (a polling client's next poll, a "
                    + "WebSocket's queued frames) before it closes what is left; `0`: close at once")
                    .defaultFrom(o -> o.engine().shutdownGraceMillis())
                    .appliedBy((d, v) -> d.engine.shutdownGrace(v)),
            Setting.of("per-message-deflate", ENGINE_IO, Kind.BOOL, "accept a WebSocket client's permessage-deflate "
                    + "offer (RFC 7692; the server keeps no context between messages, so a broadcast is compressed "
                    + "once); off as in Node")
                    .defaultFrom(o -> o.engine().compression().perMessageDeflate())
                    .appliedBy((d, v) -> d.engine.perMessageDeflate(v)),
            Setting.of("per-message-deflate-threshold", ENGINE_IO, Kind.BYTES, "bytes from which a WebSocket "
                    + "message is compressed (when negotiated, and not sent with `compress(false)`)")
                    .defaultFrom(o -> o.engine().compression().perMessageDeflateThreshold())
                    .appliedBy((d, v) -> d.engine.perMessageDeflateThreshold(v)),
            Setting.of("http-compression", ENGINE_IO, Kind.BOOL, "gzip or deflate polling responses for clients "
                    + "that accept it (`Accept-Encoding`), as Node's `httpCompression`; a response holding only "
                    + "packets sent with `compress(false)` is not")
                    .defaultFrom(o -> o.engine().compression().httpCompression())
                    .appliedBy((d, v) -> d.engine.httpCompression(v)),
            Setting.of("http-compression-threshold", ENGINE_IO, Kind.BYTES, "bytes from which a polling response "
                    + "body is compressed")
                    .defaultFrom(o -> o.engine().compression().httpCompressionThreshold())
                    .appliedBy((d, v) -> d.engine.httpCompressionThreshold(v)),
            // Socket.IO
            Setting.of("connect-timeout", SOCKET_IO, Kind.MILLIS, "ms a connection may stay without a namespace")
                    .defaultFrom(ParleyOptions::connectTimeoutMillis).appliedBy((d, v) -> d.parley.connectTimeout(v)),
            Setting.of("max-attachments", SOCKET_IO, Kind.COUNT, "binary attachments one packet may announce (as "
                    + "the reference parser); more closes the connection (`parse error`)")
                    .defaultFrom(ParleyOptions::maxAttachments)
                    .appliedBy((d, v) -> d.parley.maxAttachments(clampToInt(v))),
            Setting.of("max-attachment-bytes", SOCKET_IO, Kind.BYTES, "bytes the attachments of one packet may "
                    + "hold together while it is reassembled; more closes the connection")
                    .defaultText("max-attachments × max-payload").appliedBy((d, v) -> d.parley.maxAttachmentBytes(v)),
            Setting.of("attachment-timeout", SOCKET_IO, Kind.MILLIS, "ms for the attachments a packet announced "
                    + "to arrive; a connection still missing some is closed")
                    .defaultFrom(ParleyOptions::attachmentTimeoutMillis)
                    .appliedBy((d, v) -> d.parley.attachmentTimeout(v)),
            Setting.of("serve-client", SOCKET_IO, Kind.BOOL, "serve `<path>socket.io.min.js`")
                    .defaultFrom(ParleyOptions::serveClient).appliedBy((d, v) -> d.parley.serveClient(v)),
            Setting.of("recovery-max-disconnection", SOCKET_IO, Kind.MILLIS_OR_OFF, "connection state recovery: ms "
                    + "a socket whose connection was lost (transport closed or failed, ping timeout, server close) is "
                    + "kept with its rooms, `data` and the events it misses, for its client to come back to with the "
                    + "same id (`socket.recovered()`); `0`: off, no `pid` in CONNECT replies, no offsets on events")
                    .defaultFrom(ParleyOptions::recoveryMaxDisconnectionMillis).zeroMeans("off")
                    .appliedBy((d, v) -> d.parley.recoveryMaxDisconnection(v)),
            Setting.of("recovery-max-packets", SOCKET_IO, Kind.COUNT, "events a namespace keeps for recovery; a "
                    + "client that missed events no longer kept gets a fresh session "
                    + "(`socket.recoveryFailure()`: missed packets beyond the bound)")
                    .defaultFrom(ParleyOptions::recoveryMaxPackets)
                    .appliedBy((d, v) -> d.parley.recoveryMaxPackets(clampToInt(v))),
            Setting.of("recovery-skip-middlewares", SOCKET_IO, Kind.BOOL, "a recovered socket skips the namespace's "
                    + "middleware (it passed it when it first connected; `auth=jwt` still checks its token)")
                    .defaultFrom(ParleyOptions::recoverySkipMiddlewares)
                    .appliedBy((d, v) -> d.parley.recoverySkipMiddlewares(v)),
            // adapter before the redis-* settings: it decides whether they are used.
            Setting.of("adapter", SOCKET_IO, Kind.choice("adapter", "memory", "redis", "redis-sharded",
                    "redis-streams"), "the room/broadcast adapter: `memory` (this node alone); a cluster over Redis, "
                    + "wire-compatible with Node Socket.IO's official adapters: `redis` (pub/sub, "
                    + "`@socket.io/redis-adapter` 8), `redis-sharded` (Redis 7 sharded pub/sub, its "
                    + "`createShardedAdapter`), `redis-streams` (a Redis stream, `@socket.io/redis-streams-adapter`: "
                    + "with `recovery-max-disconnection`, recovery across nodes). The Redis ones need `redis-url`, "
                    + "and lettuce-core and msgpack-core on the class path")
                    .defaultText("`memory`").appliedBy((d, v) -> d.adapter.mode(v)),
            Setting.of("redis-url", SOCKET_IO, Kind.text("URL"), "Redis for the `redis*` adapters: "
                    + "`redis://[user:password@]host:port[/db]`, or `rediss://` for TLS")
                    .appliedBy((d, v) -> d.adapter.url(v)),
            Setting.of("redis-password-file", SOCKET_IO, Kind.text("FILE"), "file whose first line is the Redis "
                    + "password (instead of one in `redis-url`)").appliedBy((d, v) -> d.adapter.passwordFile(v)),
            Setting.of("redis-key", SOCKET_IO, Kind.text("KEY"), "prefix of the Redis channels (and the stream's "
                    + "name with `redis-streams`): nodes (Parley or Node) with the same key form one cluster").defaultText("`socket.io`")
                    .appliedBy((d, v) -> d.adapter.key(v)),
            Setting.of("redis-request-timeout", SOCKET_IO, Kind.MILLIS, "ms a request to the other nodes "
                    + "(`fetchSockets`, a server-side emit with ack...) waits for every answer; then it fails with a "
                    + "`TimeoutException`").defaultText("5000").appliedBy((d, v) -> d.adapter.requestTimeout(v)),
            // Standalone server
            Setting.of("http-header-timeout", STANDALONE, Kind.MILLIS, "ms for a request's headers to arrive, from "
                    + "the connection's opening or the previous response; then 408 and close (a connection that "
                    + "sent nothing is just closed)")
                    .defaultFrom(o -> o.engine().httpHeaderTimeoutMillis())
                    .appliedBy((d, v) -> d.engine.httpHeaderTimeout(v)),
            Setting.of("http-keep-alive-timeout", STANDALONE, Kind.MILLIS, "ms a kept-alive HTTP connection may "
                    + "idle between requests before it is closed (like Node's `keepAliveTimeout`). Neither timeout "
                    + "cuts a request being served (a waiting long-poll) or an open WebSocket")
                    .defaultFrom(o -> o.engine().httpKeepAliveTimeoutMillis())
                    .appliedBy((d, v) -> d.engine.httpKeepAliveTimeout(v)),
            // Security and limits
            Setting.of("allowed-origins", SECURITY, Kind.LIST, "other sites' origins allowed on both transports "
                    + "(`https://app.example`); `*` for any. Polling answers CORS for them: a listed origin with "
                    + "credentials, `*` without. Same-origin pages and non-browser clients are always allowed")
                    .defaultFrom(o -> o.engine().allowedOrigins()).appliedBy((d, v) -> d.engine.allowedOrigins(v)),
            // auth before the jwt-* and container-roles settings: it decides whether they are used.
            Setting.of("auth", SECURITY, Kind.choice("auth", "none", "jwt", "container"), "`jwt`: check a bearer "
                    + "JWT at every namespace CONNECT; `container`: require the container's logged-in user at the "
                    + "handshake").defaultText("`none`").appliedBy((d, v) -> d.auth.mode(v)),
            Setting.of("jwt-secret", SECURITY, Kind.text("SECRET"), "HS256 secret (≥ 32 bytes); `auth=jwt` needs "
                    + "exactly one of `jwt-secret`, `jwt-public-key`, `jwt-jwks`").appliedBy((d, v) -> d.auth.secret(v)),
            Setting.of("jwt-public-key", SECURITY, Kind.text("FILE"), "RS256/ES256 public key, PEM file")
                    .appliedBy((d, v) -> d.auth.publicKey(v)),
            Setting.of("jwt-jwks", SECURITY, Kind.text("URL|FILE"), "JWKS `https://` URL (cached 5 min, refetched "
                    + "for an unknown `kid`) or file").appliedBy((d, v) -> d.auth.jwks(v)),
            Setting.of("jwt-issuer", SECURITY, Kind.text("ISS"), "required `iss`")
                    .appliedBy((d, v) -> d.auth.issuer(v)),
            Setting.of("jwt-audience", SECURITY, Kind.LIST, "accepted `aud` values (comma-separated)")
                    .appliedBy((d, v) -> d.auth.audience(v)),
            Setting.of("jwt-clock-skew", SECURITY, Kind.MILLIS, "ms of skew allowed on `exp` and `nbf`")
                    .defaultFrom(o -> JwtAuthenticator.Builder.DEFAULT_CLOCK_SKEW.toMillis())
                    .appliedBy((d, v) -> d.auth.clockSkew(v)),
            Setting.of("jwt-roles-claim", SECURITY, Kind.text("CLAIM"), "claim holding the roles (array, or "
                    + "space-separated string)").defaultFrom(o -> JwtAuthenticator.Builder.DEFAULT_ROLES_CLAIM)
                    .appliedBy((d, v) -> d.auth.rolesClaim(v)),
            Setting.of("container-roles", SECURITY, Kind.LIST, "roles to probe with `isUserInRole` for "
                    + "`auth=container` (containers cannot list them)").appliedBy((d, v) -> d.auth.containerRoles(v)),
            Setting.of("disconnect-on-expiry", SECURITY, Kind.BOOL, "disconnect a socket when its token's `exp` "
                    + "passes").defaultFrom(ParleyOptions::disconnectOnExpiry)
                    .appliedBy((d, v) -> d.parley.disconnectOnExpiry(v)),
            Setting.of("max-connections", SECURITY, Kind.COUNT, "sessions on this server")
                    .defaultFrom(o -> o.engine().maxConnections()).zeroIsNone()
                    .appliedBy((d, v) -> d.engine.maxConnections(v)),
            Setting.of("max-connections-per-address", SECURITY, Kind.COUNT, "sessions per remote address")
                    .defaultFrom(o -> o.engine().maxConnectionsPerAddress()).zeroIsNone()
                    .appliedBy((d, v) -> d.engine.maxConnectionsPerAddress(v)),
            Setting.of("handshake-rate", SECURITY, Kind.RATE, "handshakes per second per address")
                    .defaultFrom(o -> o.engine().handshakeRatePerAddress()).zeroIsNone()
                    .appliedBy((d, v) -> d.engine.handshakeRate(v)),
            Setting.of("handshake-burst", SECURITY, Kind.COUNT, "handshakes at once per address")
                    .defaultText("one second's worth").appliedBy((d, v) -> d.engine.handshakeBurst(clampToInt(v))),
            Setting.of("event-rate", SECURITY, Kind.RATE, "events per second per socket")
                    .defaultFrom(ParleyOptions::eventRate).zeroIsNone().appliedBy((d, v) -> d.parley.eventRate(v)),
            Setting.of("event-burst", SECURITY, Kind.COUNT, "events at once per socket")
                    .defaultText("one second's worth").appliedBy((d, v) -> d.parley.eventBurst(clampToInt(v))),
            Setting.of("max-namespaces", SECURITY, Kind.COUNT, "namespaces per connection")
                    .defaultFrom(ParleyOptions::maxNamespaces)
                    .appliedBy((d, v) -> d.parley.maxNamespaces(clampToInt(v))),
            Setting.of("max-buffered-bytes", SECURITY, Kind.BYTES, "bytes waiting for one client (a polling client "
                    + "that stopped polling, a WebSocket client that stopped reading) before it is dropped as a slow "
                    + "consumer (volatile packets are dropped first)")
                    .defaultText("4 × max-payload, ≥ 4 MiB").appliedBy((d, v) -> d.engine.maxBufferedBytes(v)),
            Setting.of("max-buffered-packets", SECURITY, Kind.COUNT, "packets waiting for one client before it is "
                    + "dropped as a slow consumer (volatile packets are dropped first)")
                    .defaultFrom(o -> o.engine().maxBufferedPackets())
                    .appliedBy((d, v) -> d.engine.maxBufferedPackets(v)),
            Setting.of("bind-session-to-address", SECURITY, Kind.BOOL, "a `sid` only works from its handshake's "
                    + "address").defaultFrom(o -> o.engine().bindSessionToAddress())
                    .appliedBy((d, v) -> d.engine.bindSessionToAddress(v)),
            // Metrics
            Setting.of("metrics", METRICS, Kind.BOOL, "serve Micrometer's Prometheus text at `metrics-path` "
                    + "(see [Metrics](#metrics)); in a WAR the servlet is registered only when on, so a "
                    + "`<security-constraint>` on its URL applies; needs micrometer-registry-prometheus on the class path")
                    .defaultText("`true` standalone, `false` in a WAR").appliedBy((d, v) -> d.parley.metrics(v)),
            Setting.of("metrics-path", METRICS, Kind.text("PATH"), "where metrics are served (under the context "
                    + "root in a WAR)").defaultFrom(ParleyOptions::metricsPath)
                    .appliedBy((d, v) -> d.parley.metricsPath(v)),
            // Health
            Setting.of("health", HEALTH, Kind.BOOL, "serve liveness and readiness as JSON at "
                    + "`<health-path>/live` and `<health-path>/ready` (see [Health](#health)); in a WAR the servlet is registered only when on, "
                    + "so a `<security-constraint>` on its URL applies").defaultFrom(ParleyOptions::health)
                    .appliedBy((d, v) -> d.parley.health(v)),
            Setting.of("health-path", HEALTH, Kind.text("PATH"), "where the health endpoints are served (under "
                    + "the context root in a WAR), without a trailing `/`").defaultFrom(ParleyOptions::healthPath)
                    .appliedBy((d, v) -> d.parley.healthPath(v)),
            // Admin UI
            Setting.of("admin-ui", ADMIN_UI, Kind.BOOL, "serve the official Socket.IO Admin UI: its server side on "
                    + "the `/admin` namespace and its static files at `admin-ui-path`")
                    .defaultFrom(o -> o.adminUi().enabled()).appliedBy((d, v) -> d.adminUi.enabled(v)),
            Setting.of("admin-ui-auth", ADMIN_UI, Kind.choice("admin-ui-auth", "basic", "none"), "the Admin UI's "
                    + "login, required with `admin-ui`: `basic` (`admin-ui-username` and `admin-ui-password-hash`) "
                    + "or, said explicitly, `none`").appliedBy((d, v) -> d.adminUi.auth(v)),
            Setting.of("admin-ui-username", ADMIN_UI, Kind.text("NAME"), "the Admin UI's login name")
                    .appliedBy((d, v) -> d.adminUi.username(v)),
            Setting.of("admin-ui-password-hash", ADMIN_UI, Kind.text("HASH"), "bcrypt hash (`$2a$`, `$2b$`, `$2y$`) "
                    + "of the Admin UI's password").appliedBy((d, v) -> d.adminUi.passwordHash(v)),
            Setting.of("admin-ui-readonly", ADMIN_UI, Kind.BOOL, "refuse the UI's commands (emit, join, leave, "
                    + "disconnect)").defaultFrom(o -> o.adminUi().readonly())
                    .appliedBy((d, v) -> d.adminUi.readonly(v)),
            Setting.of("admin-ui-mode", ADMIN_UI, Kind.choice("admin-ui-mode", "development", "production"),
                    "`development`: the sockets, rooms and events live; `production`: statistics only")
                    .defaultText("`development`").appliedBy((d, v) -> d.adminUi.mode(v)),
            Setting.of("admin-ui-path", ADMIN_UI, Kind.text("PATH"), "where the UI's static files are served "
                    + "(under the context root in a WAR), ending with `/`")
                    .defaultFrom(o -> o.adminUi().uiPath()).appliedBy((d, v) -> d.adminUi.path(v)),
            Setting.of("admin-ui-server-id", ADMIN_UI, Kind.text("ID"), "how this node names itself in the UI's "
                    + "server list (`serverId`); give each node of a cluster its own when they share a host name")
                    .defaultText("the host's name").appliedBy((d, v) -> d.adminUi.serverId(v)));

    private Settings() {
    }

    /** Every setting name, in {@link #ALL}'s order. */
    public static List<String> names() {
        return ALL.stream().map(Setting::name).toList();
    }

    /**
     * The settings {@code sources} set, {@code name=value} in {@link #ALL}'s order, secrets masked
     * ({@code jwt-secret}, a password in a URL): what a bootstrap's start-up log line shows.
     */
    public static List<String> given(List<SettingSource> sources) {
        return ALL.stream().map(s -> s.givenIn(sources)).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * The options {@code base} becomes with the settings found in {@code sources} (the first
     * source that has a setting wins).
     *
     * @throws IllegalArgumentException naming the setting and its source when a value is invalid
     */
    public static ParleyOptions options(ParleyOptions base, List<SettingSource> sources) {
        OptionsDraft draft = new OptionsDraft(base);
        for (Setting<?> setting : ALL) {
            setting.readInto(draft, sources);
        }
        return draft.build();
    }
}
