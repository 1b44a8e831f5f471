package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.metrics.Scrape;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.server.ParleyServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code parley_recoveries_total} on the standalone metrics endpoint, with connection state recovery
 * on: a client whose connection was lost and that comes back with its {@code pid} and last offset is
 * one {@code hit}; a CONNECT claiming a session the server does not have (unknown or expired) is one
 * {@code miss}; a CONNECT that claims nothing is neither. Each counted once, seen over HTTP. Raw
 * Socket.IO over WebSocket, so the test chooses exactly what each CONNECT claims.
 */
class RecoveryMetricsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ParleyServer parley;
    private StandaloneServer server;
    private String base;
    private URI metrics;

    @BeforeEach
    void start() throws Exception {
        parley = new ParleyServer(Main.STANDALONE_DEFAULTS.toBuilder().recoveryMaxDisconnection(60_000).build());
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false, MetricsPage.of(parley));
        base = "http://127.0.0.1:" + server.port();
        metrics = URI.create(base + "/parley/metrics");
    }

    @AfterEach
    void stop() {
        parley.close();
        server.close();
    }

    private static JsonObject json(String text) {
        return Jsonp.PROVIDER.createReader(new StringReader(text)).readObject();
    }

    private RawSocketIo connectClaiming(String claim) throws Exception {
        RawSocketIo conn = RawSocketIo.open(RawSocketIo.Kind.WEBSOCKET, base, "/socket.io/");
        conn.send("0" + claim);
        return conn;
    }

    private static JsonObject connectReply(RawSocketIo conn) throws Exception {
        String reply = conn.next();
        assertThat(reply).startsWith("0{");
        return json(reply.substring(1));
    }

    private double recoveries(String outcome) throws Exception {
        return Scrape.of(metrics).value("parley_recoveries_total", "outcome", outcome);
    }

    @Test
    void aRecoveredClientIsAHitAndAnUnknownSessionAMiss() throws Exception {
        String sid;
        String pid;
        String offset;
        try (RawSocketIo first = connectClaiming("")) {
            JsonObject reply = connectReply(first);
            sid = reply.getString("sid");
            pid = reply.getString("pid");
            parley.emit("tick", 1);
            String event = first.next(); // 2["tick",1,"<offset>"]
            JsonArray args = Jsonp.PROVIDER.createReader(new StringReader(event.substring(1))).readArray();
            offset = args.getString(args.size() - 1);
        } // the WebSocket closed without a goodbye: "transport close", a recoverable reason
        await().atMost(WAIT).until(() -> parley.socketCount() == 0);
        assertThat(recoveries("hit")).as("a first connection claims nothing").isZero();
        assertThat(recoveries("miss")).isZero();

        parley.emit("missed", 2); // stored for the session: replayed on recovery
        try (RawSocketIo back = connectClaiming("{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}")) {
            JsonObject reply = connectReply(back);
            assertThat(reply.getString("sid")).as("the same session").isEqualTo(sid);
            assertThat(back.next()).startsWith("2[\"missed\",2,");
            Scrape s = Scrape.of(metrics);
            assertThat(s.value("parley_recoveries_total", "outcome", "hit")).isEqualTo(1);
            assertThat(s.value("parley_recoveries_total", "outcome", "miss")).isZero();
            assertThat(s.value("parley_socket_connects_total")).isEqualTo(2);

            try (RawSocketIo stranger = connectClaiming("{\"pid\":\"" + "x".repeat(20) + "\",\"offset\":\"" + offset
                    + "\"}")) {
                JsonObject fresh = connectReply(stranger);
                assertThat(fresh.getString("sid")).isNotEqualTo(sid);
                Scrape after = Scrape.of(metrics);
                assertThat(after.value("parley_recoveries_total", "outcome", "miss")).isEqualTo(1);
                assertThat(after.value("parley_recoveries_total", "outcome", "hit")).as("counted once").isEqualTo(1);
                assertThat(after.value("parley_sockets")).isEqualTo(2);
            }
        }
    }

    @Test
    void aSessionThatExpiredIsAMiss() throws Exception {
        ParleyServer shortLived = new ParleyServer(Main.STANDALONE_DEFAULTS.toBuilder()
                .recoveryMaxDisconnection(200).build());
        StandaloneServer http = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(shortLived.engine(), false)), false, MetricsPage.of(shortLived));
        try {
            String url = "http://127.0.0.1:" + http.port();
            URI scrape = URI.create(url + "/parley/metrics");
            String pid;
            String offset;
            try (RawSocketIo first = RawSocketIo.open(RawSocketIo.Kind.WEBSOCKET, url, "/socket.io/")) {
                first.send("0");
                pid = connectReply(first).getString("pid");
                shortLived.emit("tick", 1);
                String event = first.next();
                JsonArray args = Jsonp.PROVIDER.createReader(new StringReader(event.substring(1))).readArray();
                offset = args.getString(args.size() - 1);
            }
            await().atMost(WAIT).until(() -> shortLived.socketCount() == 0);
            // past recovery-max-disconnection the session is gone: a claim of it finds nothing
            await().atMost(WAIT).pollDelay(Duration.ofMillis(300)).untilAsserted(() -> {
                try (RawSocketIo late = RawSocketIo.open(RawSocketIo.Kind.WEBSOCKET, url, "/socket.io/")) {
                    late.send("0{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}");
                    assertThat(connectReply(late).getString("pid")).isNotEqualTo(pid);
                }
            });
            Scrape s = Scrape.of(scrape);
            assertThat(s.value("parley_recoveries_total", "outcome", "miss")).isEqualTo(1);
            assertThat(s.value("parley_recoveries_total", "outcome", "hit")).isZero();
        } finally {
            shortLived.close();
            http.close();
        }
    }
}
