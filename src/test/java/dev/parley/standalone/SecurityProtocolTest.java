package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.auth.AuthenticationException;
import dev.parley.auth.Identity;
import dev.parley.engine.EngineOptions;
import dev.parley.server.Authorize;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.RawUpgrade;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal path of the handshake and of a live connection, over raw HTTP and raw WebSocket
 * against a real standalone server: Origin on both transports, a handshake authenticator, a
 * namespace authenticator, role checks on namespaces and events, and each limit. Each test checks
 * that the refused client got its reason and that a well-behaved client is still served.
 */
class SecurityProtocolTest {

    private static final String SIO = "/socket.io/";
    private static final String HANDSHAKE = SIO + "?EIO=4&transport=polling";

    private ParleyServer parley;
    private StandaloneServer server;
    private final AtomicInteger adminEvents = new AtomicInteger();

    @AfterEach
    void stop() {
        if (parley != null) {
            parley.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Starts a server with the given options; its main namespace answers whoami/echo/admin-only. */
    private void start(UnaryOperator<ParleyOptions.Builder> options, UnaryOperator<EngineOptions.Builder> engine)
            throws Exception {
        parley = new ParleyServer(options.apply(ParleyOptions.builder()
                .engine(engine.apply(EngineOptions.builder()).build())).build());
        parley.of("/").onConnection(socket -> {
            socket.use(Authorize.event(socket, "admin-only", "admin"));
            socket.on("whoami", (args, ack) -> ack.send(socket.principal() == null ? "anonymous"
                    : socket.principal().name()));
            socket.on("echo", (args, ack) -> ack.send(args.get(0)));
            socket.on("admin-only", (args, ack) -> {
                adminEvents.incrementAndGet();
                ack.send("done");
            });
        });
        parley.of("/admin").use(Authorize.roles("admin")).onConnection(socket -> { });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    private void start(UnaryOperator<ParleyOptions.Builder> options) throws Exception {
        start(options, e -> e);
    }

    private RawHttp http() {
        return new RawHttp("http://127.0.0.1:" + server.port());
    }

    private String ws() {
        return "ws://127.0.0.1:" + server.port() + SIO + "?EIO=4&transport=websocket";
    }

    /** A WebSocket session joined to "/" (with an optional auth payload). */
    private RawWebSocket connected(Map<String, String> headers, String auth) throws InterruptedException {
        RawWebSocket ws = RawWebSocket.connect(ws(), headers);
        assertThat((String) ws.next()).startsWith("0{\"sid\":");
        ws.send("40" + (auth == null ? "" : auth));
        assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
        return ws;
    }

    /** Asserts a bystander can still open a session and get an ack. */
    private void bystanderIsServed() throws InterruptedException {
        try (RawWebSocket ws = connected(Map.of(), null)) {
            ws.send("421[\"echo\",\"still here\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[\"still here\"]");
        }
    }

    // ---------------------------------------------------------------- Origin

    @Test
    void aForeignOriginIsRefusedOnPollingAndOnWebSocket() throws Exception {
        start(o -> o);
        HttpResponse<String> polling = http().sendWithHeader("GET", HANDSHAKE, "Origin", "https://evil.example");
        assertThat(polling.statusCode()).isEqualTo(403);
        assertThat(polling.body()).isEqualTo("{\"code\":4,\"message\":\"Origin not allowed\"}");
        assertThat(parley.engine().sessionCount()).isZero();

        // Refused before the upgrade, with the status and body of polling (no 101, then 1008).
        RawUpgrade.Answer upgrade = RawUpgrade.send(server.port(), SIO + "?EIO=4&transport=websocket",
                Map.of("Origin", "https://evil.example"));
        assertThat(upgrade.status()).isEqualTo(403);
        assertThat(upgrade.body()).isEqualTo("{\"code\":4,\"message\":\"Origin not allowed\"}");
        try (RawWebSocket ws = RawWebSocket.connect(ws(), Map.of("Origin", "https://evil.example"))) {
            assertThat(ws.awaitClose(Duration.ofSeconds(5)).reason()).startsWith("upgrade refused");
        }
        assertThat(parley.engine().sessionCount()).isZero();
        bystanderIsServed();
    }

    @Test
    void aForeignOriginCannotUseAnOpenPollingSession() throws Exception {
        start(o -> o);
        String sid = http().openPolling(SIO);
        SourceAddressHttp.Response refused = SourceAddressHttp.send("127.0.0.1", server.port(), "POST",
                SIO + "?EIO=4&transport=polling&sid=" + sid, Map.of("Origin", "https://evil.example"), "40");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("Origin not allowed");
    }

    @Test
    void theServersOwnOriginAndClientsWithoutOriginAreAllowed() throws Exception {
        start(o -> o);
        String own = "http://127.0.0.1:" + server.port();
        HttpResponse<String> polling = http().sendWithHeader("GET", HANDSHAKE, "Origin", own);
        assertThat(polling.statusCode()).isEqualTo(200);
        assertThat(polling.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        try (RawWebSocket ws = connected(Map.of("Origin", own), null)) {
            ws.send("421[\"echo\",1]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[1]");
        }
        bystanderIsServed(); // no Origin at all
    }

    @Test
    void aListedOriginIsAllowedWithCredentialedCors() throws Exception {
        start(o -> o, e -> e.allowedOrigins(List.of("https://app.example")));
        HttpResponse<String> polling = http().sendWithHeader("GET", HANDSHAKE, "Origin", "https://app.example");
        assertThat(polling.statusCode()).isEqualTo(200);
        assertThat(polling.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
        assertThat(polling.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
        try (RawWebSocket ws = connected(Map.of("Origin", "https://app.example"), null)) {
            ws.send("421[\"echo\",2]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[2]");
        }
        assertThat(http().sendWithHeader("GET", HANDSHAKE, "Origin", "https://other.example").statusCode())
                .isEqualTo(403);
    }

    @Test
    void anyOriginOnlyWhenAskedForWithoutCredentials() throws Exception {
        start(o -> o, e -> e.allowedOrigins(List.of("*")));
        HttpResponse<String> polling = http().sendWithHeader("GET", HANDSHAKE, "Origin", "https://anyone.example");
        assertThat(polling.statusCode()).isEqualTo(200);
        assertThat(polling.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(polling.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    // ---------------------------------------------------------------- authentication

    private static Identity apiKey(dev.parley.auth.AuthRequest request) throws AuthenticationException {
        String key = request.header("X-Api-Key");
        if (key == null) {
            throw AuthenticationException.unauthorized("missing API key");
        }
        if (!key.equals("k-alice")) {
            throw AuthenticationException.forbidden("unknown API key");
        }
        return Identity.of("alice", "admin");
    }

    @Test
    void aHandshakeAuthenticatorRefusesBeforeAnySessionExists() throws Exception {
        start(o -> o.authenticator(SecurityProtocolTest::apiKey));
        HttpResponse<String> missing = http().get(HANDSHAKE);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo("{\"code\":4,\"message\":\"missing API key\"}");
        HttpResponse<String> wrong = http().sendWithHeader("GET", HANDSHAKE, "X-Api-Key", "k-mallory");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).isEqualTo("{\"code\":4,\"message\":\"unknown API key\"}");
        RawUpgrade.Answer upgrade = RawUpgrade.send(server.port(), SIO + "?EIO=4&transport=websocket", Map.of());
        assertThat(upgrade.status()).isEqualTo(401);
        assertThat(upgrade.body()).isEqualTo("{\"code\":4,\"message\":\"missing API key\"}");
        try (RawWebSocket ws = RawWebSocket.connect(ws())) {
            assertThat(ws.awaitClose(Duration.ofSeconds(5)).reason()).startsWith("upgrade refused");
        }
        assertThat(parley.engine().sessionCount()).isZero();
        assertThat(parley.engine().admittedCount()).isZero();

        try (RawWebSocket ws = connected(Map.of("X-Api-Key", "k-alice"), null)) {
            ws.send("421[\"whoami\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[\"alice\"]");
            ws.send("422[\"admin-only\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("432[\"done\"]");
        }
    }

    @Test
    void aNamespaceAuthenticatorSeesTheAuthPayloadAndRefusesWithConnectError() throws Exception {
        start(o -> o.connectAuthenticator(request -> {
            if (request.authPayload() == null || !"t-bob".equals(request.authPayload().getString("token", null))) {
                throw AuthenticationException.unauthorized("invalid token");
            }
            return Identity.of("bob", "user");
        }));
        try (RawWebSocket ws = RawWebSocket.connect(ws())) {
            assertThat((String) ws.next()).startsWith("0{\"sid\":");
            ws.send("40{\"token\":\"nope\"}");
            assertThat(ws.nextIgnoringPings())
                    .isEqualTo("44{\"message\":\"invalid token\",\"data\":{\"status\":401}}");
            ws.send("40{\"token\":\"t-bob\"}");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
            ws.send("421[\"whoami\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[\"bob\"]");
        }
    }

    // ---------------------------------------------------------------- authorization

    @Test
    void aNamespaceNeedsItsRoleAndAnEventItsRole() throws Exception {
        start(o -> o.connectAuthenticator(request -> Identity.of(request.authPayload().getString("user"),
                request.authPayload().getString("user").equals("root") ? new String[] {"admin"} : new String[0])));
        try (RawWebSocket ws = RawWebSocket.connect(ws())) {
            assertThat((String) ws.next()).startsWith("0{\"sid\":");
            ws.send("40/admin,{\"user\":\"eve\"}");
            assertThat(ws.nextIgnoringPings())
                    .isEqualTo("44/admin,{\"message\":\"missing role\",\"data\":{\"status\":403}}");
            ws.send("40{\"user\":\"eve\"}");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
            ws.send("421[\"admin-only\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo(
                    "42[\"error\",{\"message\":\"not allowed: admin-only\",\"data\":{\"event\":\"admin-only\",\"status\":403}}]");
            ws.send("422[\"echo\",\"after\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("432[\"after\"]");
        }
        assertThat(adminEvents).hasValue(0);
        try (RawWebSocket ws = RawWebSocket.connect(ws())) {
            assertThat((String) ws.next()).startsWith("0{\"sid\":");
            ws.send("40/admin,{\"user\":\"root\"}");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40/admin,{\"sid\":");
        }
    }

    // ---------------------------------------------------------------- limits

    @Test
    void maxConnectionsRefusesTheNextOneUntilASlotFrees() throws Exception {
        start(o -> o, e -> e.maxConnections(2));
        RawWebSocket a = connected(Map.of(), null);
        String sid = http().openPolling(SIO);
        HttpResponse<String> third = http().get(HANDSHAKE);
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.body()).contains("server full");
        RawUpgrade.Answer upgrade = RawUpgrade.send(server.port(), SIO + "?EIO=4&transport=websocket", Map.of());
        assertThat(upgrade.status()).isEqualTo(503);
        assertThat(upgrade.body()).contains("server full");
        a.send("421[\"echo\",\"a\"]");
        assertThat(a.nextIgnoringPings()).isEqualTo("431[\"a\"]");
        assertThat(sid).isNotEmpty();
        a.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> http().get(HANDSHAKE).statusCode() == 200);
    }

    @Test
    void maxConnectionsPerAddressCountsEachAddressApart() throws Exception {
        start(o -> o, e -> e.maxConnectionsPerAddress(2));
        int port = server.port();
        assertThat(SourceAddressHttp.get("127.0.0.2", port, HANDSHAKE).status()).isEqualTo(200);
        assertThat(SourceAddressHttp.get("127.0.0.2", port, HANDSHAKE).status()).isEqualTo(200);
        SourceAddressHttp.Response third = SourceAddressHttp.get("127.0.0.2", port, HANDSHAKE);
        assertThat(third.status()).isEqualTo(503);
        assertThat(third.body()).contains("too many connections from this address");
        assertThat(SourceAddressHttp.get("127.0.0.3", port, HANDSHAKE).status()).isEqualTo(200);
    }

    @Test
    void handshakeRatePerAddressRefusesAFloodButNotOthers() throws Exception {
        start(o -> o, e -> e.handshakeRate(0.01, 3));
        int port = server.port();
        for (int i = 0; i < 3; i++) {
            assertThat(SourceAddressHttp.get("127.0.0.4", port, HANDSHAKE).status()).isEqualTo(200);
        }
        SourceAddressHttp.Response fourth = SourceAddressHttp.get("127.0.0.4", port, HANDSHAKE);
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.body()).contains("too many handshakes");
        assertThat(SourceAddressHttp.get("127.0.0.5", port, HANDSHAKE).status()).isEqualTo(200);
    }

    @Test
    void anEventFloodIsDroppedWithAnErrorEventThenDisconnected() throws Exception {
        start(o -> o.eventRate(0.01, 3).maxRefusedEvents(5));
        try (RawWebSocket flooder = connected(Map.of(), null)) {
            for (int i = 1; i <= 3; i++) {
                flooder.send("42" + i + "[\"echo\"," + i + "]");
                assertThat(flooder.nextIgnoringPings()).isEqualTo("43" + i + "[" + i + "]");
            }
            flooder.send("424[\"echo\",4]");
            assertThat(flooder.nextIgnoringPings()).isEqualTo(
                    "42[\"error\",{\"message\":\"rate limit exceeded\",\"data\":{\"event\":\"echo\",\"status\":429}}]");
            for (int i = 0; i < 10; i++) {
                try {
                    flooder.send("42[\"echo\"," + i + "]");
                } catch (CompletionException closedMidFlood) {
                    // The server closed the flooder after maxRefusedEvents, before the client sent them all
                    // (the JDK client's output then refuses): what is asserted next.
                    assertThat(closedMidFlood).hasRootCauseInstanceOf(IOException.class);
                    break;
                }
            }
            assertThat(flooder.awaitClose(Duration.ofSeconds(5)).code()).isNotEqualTo(1006);
        }
        bystanderIsServed();
    }

    @Test
    void maxNamespacesPerConnection() throws Exception {
        start(o -> o.maxNamespaces(1));
        try (RawWebSocket ws = connected(Map.of(), null)) {
            ws.send("40/admin,");
            assertThat(ws.nextIgnoringPings())
                    .isEqualTo("44/admin,{\"message\":\"too many namespaces on this connection\"}");
            ws.send("421[\"echo\",\"ok\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[\"ok\"]");
        }
    }

    @Test
    void aPollingClientThatStopsPollingIsDroppedAtMaxBufferedBytes() throws Exception {
        start(o -> o, e -> e.maxBufferedBytes(10_000));
        String sid = http().openPolling(SIO);
        assertThat(http().post(SIO + "?EIO=4&transport=polling&sid=" + sid, "40").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> parley.of("/").sockets().size() == 1);
        String chunk = "x".repeat(1000);
        for (int i = 0; i < 20; i++) {
            parley.emit("news", chunk);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> parley.engine().session(sid) == null);
        assertThat(http().get(SIO + "?EIO=4&transport=polling&sid=" + sid).body())
                .isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        bystanderIsServed();
    }

    @Test
    void aSessionBoundToItsAddressCannotBePolledFromElsewhere() throws Exception {
        start(o -> o, e -> e.bindSessionToAddress(true));
        int port = server.port();
        SourceAddressHttp.Response open = SourceAddressHttp.get("127.0.0.6", port, HANDSHAKE);
        assertThat(open.status()).isEqualTo(200);
        String sid = open.body().substring(9, open.body().indexOf('"', 9));
        String poll = SIO + "?EIO=4&transport=polling&sid=" + sid;
        SourceAddressHttp.Response stolen = SourceAddressHttp.send("127.0.0.7", port, "POST", poll, Map.of(), "40");
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        assertThat(SourceAddressHttp.send("127.0.0.6", port, "POST", poll, Map.of(), "40").status()).isEqualTo(200);
    }

    @Test
    void connectTimeoutClosesAConnectionThatJoinsNoNamespace() throws Exception {
        start(o -> o.connectTimeout(300));
        try (RawWebSocket idle = RawWebSocket.connect(ws())) {
            assertThat((String) idle.next()).startsWith("0{\"sid\":");
            assertThat(idle.awaitClose(Duration.ofSeconds(5)).code()).isNotEqualTo(1006);
        }
    }

    @Test
    void anOversizedFrameClosesOnlyItsSession() throws Exception {
        start(o -> o, e -> e.maxPayload(1000));
        try (RawWebSocket big = connected(Map.of(), null)) {
            big.send("42[\"echo\",\"" + "y".repeat(2000) + "\"]");
            assertThat(big.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1009); // message too big
        }
        String sid = http().openPolling(SIO);
        HttpResponse<String> post = http().post(SIO + "?EIO=4&transport=polling&sid=" + sid, "4" + "z".repeat(2000));
        assertThat(post.statusCode()).isEqualTo(413);
        bystanderIsServed();
    }
}
