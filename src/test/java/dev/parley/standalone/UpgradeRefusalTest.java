package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.auth.AuthenticationException;
import dev.parley.auth.Identity;
import dev.parley.engine.EngineOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.RawUpgrade;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A refused WebSocket upgrade is answered with an HTTP status and the polling path's JSON body
 * before any 101, on the standalone server, over a raw socket: Origin 403, authentication 401 and
 * 403, limits 429 and 503, protocol errors 400. A refused upgrade takes no connection slot, and an
 * accepted one still gets its 101 and works.
 */
class UpgradeRefusalTest {

    private static final String SIO = "/socket.io/";
    private static final String UPGRADE = SIO + "?EIO=4&transport=websocket";

    private ParleyServer parley;
    private StandaloneServer server;

    @AfterEach
    void stop() {
        if (parley != null) {
            parley.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(UnaryOperator<ParleyOptions.Builder> options, UnaryOperator<EngineOptions.Builder> engine)
            throws Exception {
        parley = new ParleyServer(options.apply(ParleyOptions.builder()
                .engine(engine.apply(EngineOptions.builder()).build())).build());
        parley.of("/").onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.get(0))));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    private RawUpgrade.Answer upgrade(String pathAndQuery, Map<String, String> headers) throws Exception {
        return RawUpgrade.send(server.port(), pathAndQuery, headers);
    }

    private static void assertRefused(RawUpgrade.Answer answer, int status, String json) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body()).isEqualTo(json);
        assertThat(answer.header("Content-Type")).as("headers %s", answer.headers()).startsWith("application/json");
        assertThat(answer.header("Upgrade")).isNull();
    }

    /** A WebSocket client that opens a session and gets an ack: the server still serves. */
    private void aWebSocketClientIsServed(Map<String, String> headers) throws Exception {
        assertThat(upgrade(UPGRADE, headers).status()).isEqualTo(101);
        // That upgrade opened a session and hung up: with max-connections 1 it must be gone before the next
        // (a CI run connected while it was still counted, and was refused).
        await().atMost(Duration.ofSeconds(10)).until(() -> parley.engine().sessionCount() == 0
                && parley.engine().admittedCount() == 0);
        try (RawWebSocket ws = RawWebSocket.connect("ws://127.0.0.1:" + server.port() + UPGRADE, headers)) {
            assertThat((String) ws.next()).startsWith("0{\"sid\":");
            ws.send("40");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
            ws.send("421[\"echo\",\"ok\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[\"ok\"]");
        }
    }

    @Test
    void aForeignOriginGets403() throws Exception {
        start(o -> o, e -> e);
        assertRefused(upgrade(UPGRADE, Map.of("Origin", "https://evil.example")), 403,
                "{\"code\":4,\"message\":\"Origin not allowed\"}");
        assertThat(parley.engine().sessionCount()).isZero();
        aWebSocketClientIsServed(Map.of("Origin", "http://127.0.0.1:" + server.port()));
    }

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
    void authenticationRefusesWith401Or403AndTakesNoSlot() throws Exception {
        start(o -> o.authenticator(UpgradeRefusalTest::apiKey), e -> e.maxConnections(1));
        for (int i = 0; i < 3; i++) {
            assertRefused(upgrade(UPGRADE, Map.of()), 401, "{\"code\":4,\"message\":\"missing API key\"}");
            assertRefused(upgrade(UPGRADE, Map.of("X-Api-Key", "k-mallory")), 403,
                    "{\"code\":4,\"message\":\"unknown API key\"}");
        }
        assertThat(parley.engine().admittedCount()).isZero();
        assertThat(parley.engine().sessionCount()).isZero();
        // maxConnections is 1: six refusals left it free.
        aWebSocketClientIsServed(Map.of("X-Api-Key", "k-alice"));
    }

    @Test
    void maxConnectionsGets503AndAnAcceptedUpgradeCountsOnce() throws Exception {
        start(o -> o, e -> e.maxConnections(1));
        try (RawWebSocket first = RawWebSocket.connect("ws://127.0.0.1:" + server.port() + UPGRADE)) {
            assertThat((String) first.next()).startsWith("0{\"sid\":");
            assertThat(parley.engine().admittedCount()).isEqualTo(1);
            assertRefused(upgrade(UPGRADE, Map.of()), 503, "{\"code\":4,\"message\":\"server full, retry later\"}");
            assertThat(parley.engine().admittedCount()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> parley.engine().admittedCount() == 0);
        aWebSocketClientIsServed(Map.of());
    }

    @Test
    void maxConnectionsPerAddressGets503() throws Exception {
        start(o -> o, e -> e.maxConnectionsPerAddress(1));
        try (RawWebSocket first = RawWebSocket.connect("ws://127.0.0.1:" + server.port() + UPGRADE)) {
            assertThat((String) first.next()).startsWith("0{\"sid\":");
            RawUpgrade.Answer same = RawUpgrade.send("127.0.0.1", server.port(), UPGRADE, Map.of());
            assertRefused(same, 503, "{\"code\":4,\"message\":\"too many connections from this address\"}");
            assertThat(RawUpgrade.send("127.0.0.6", server.port(), UPGRADE, Map.of()).status()).isEqualTo(101);
        }
    }

    @Test
    void aHandshakeFloodGets429() throws Exception {
        start(o -> o, e -> e.handshakeRate(0.01, 2));
        int port = server.port();
        assertThat(RawUpgrade.send("127.0.0.7", port, UPGRADE, Map.of()).status()).isEqualTo(101);
        assertThat(RawUpgrade.send("127.0.0.7", port, UPGRADE, Map.of()).status()).isEqualTo(101);
        assertRefused(RawUpgrade.send("127.0.0.7", port, UPGRADE, Map.of()), 429,
                "{\"code\":4,\"message\":\"too many handshakes from this address, retry later\"}");
        assertThat(RawUpgrade.send("127.0.0.8", port, UPGRADE, Map.of()).status()).isEqualTo(101);
    }

    @Test
    void protocolErrorsGet400WithTheReferenceBody() throws Exception {
        start(o -> o, e -> e);
        assertRefused(upgrade(SIO + "?EIO=4&transport=abc", Map.of()), 400,
                "{\"code\":0,\"message\":\"Transport unknown\"}");
        assertRefused(upgrade(SIO + "?EIO=4&transport=polling", Map.of()), 400,
                "{\"code\":3,\"message\":\"Bad request\"}");
        assertRefused(upgrade(UPGRADE + "&sid=doesnotexist", Map.of()), 400,
                "{\"code\":1,\"message\":\"Session ID unknown\"}");
        assertRefused(upgrade(SIO + "?EIO=3&transport=websocket", Map.of()), 400,
                "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        assertThat(parley.engine().admittedCount()).isZero();
        aWebSocketClientIsServed(Map.of());
    }

    @Test
    void anUpgradeOfAPollingSessionStillWorks() throws Exception {
        start(o -> o, e -> e);
        String sid = new RawHttp("http://127.0.0.1:" + server.port()).openPolling(SIO);
        try (RawWebSocket ws = RawWebSocket.connect("ws://127.0.0.1:" + server.port() + UPGRADE + "&sid=" + sid)) {
            ws.send("2probe");
            assertThat(ws.next()).isEqualTo("3probe");
            ws.send("5");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> "websocket".equals(parley.engine().session(sid).transportName()));
            // The second upgrade of the same session is a protocol error, answered before any 101.
            assertRefused(upgrade(UPGRADE + "&sid=" + sid, Map.of()), 400, "{\"code\":3,\"message\":\"Bad request\"}");
            ws.send("40");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
            ws.send("421[\"echo\",\"upgraded\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[\"upgraded\"]");
            // The polling handshake's slot, and no other: the upgrades took none.
            assertThat(parley.engine().admittedCount()).isEqualTo(1);
        }
    }

    @Test
    void anUpgradeTyrusRefusesItselfGivesItsSlotBack() throws Exception {
        start(o -> o, e -> e.maxConnections(1));
        // Admitted by Parley, then refused by Tyrus (it speaks version 13 only): the slot comes back.
        RawUpgrade.Answer old = upgrade(UPGRADE, Map.of("Sec-WebSocket-Version", "8"));
        assertThat(old.status()).isNotEqualTo(101);
        assertThat(parley.engine().admittedCount()).isZero();
        aWebSocketClientIsServed(Map.of());
    }
}
