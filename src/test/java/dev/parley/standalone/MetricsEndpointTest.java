package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.metrics.Scrape;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone server's metrics endpoint ({@code metrics-path}, on by default) scraped over HTTP
 * while Parley's Java client connects over each transport, sends, joins rooms and leaves: the
 * Prometheus text's values move with what happens.
 */
class MetricsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ParleyServer parley;
    private StandaloneServer server;
    private URI base;
    private URI metrics;
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        parley = new ParleyServer(Main.STANDALONE_DEFAULTS);
        parley.onConnection(socket -> {
            socket.on("name", (args, ack) -> sockets.put((String) args.get(0), socket));
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
            socket.on("join", (args, ack) -> {
                socket.join((String) args.get(0));
                ack.send("joined");
            });
        });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false, MetricsPage.of(parley));
        base = URI.create("http://127.0.0.1:" + server.port());
        metrics = base.resolve("/parley/metrics");
    }

    @AfterEach
    void stop() {
        parley.close();
        server.close();
    }

    private ClientSocket connect(ParleyClient client, String name) throws Exception {
        ClientSocket socket = client.socket("/", null);
        socket.connected().get(5, TimeUnit.SECONDS);
        socket.emit("name", name);
        await().atMost(WAIT).until(() -> sockets.containsKey(name));
        return socket;
    }

    private static ClientOptions only(String transport) {
        return ClientOptions.defaults().transports(List.of(transport)).reconnection(false);
    }

    @Test
    void servesPrometheusTextWithEveryMeterAtRest() throws Exception {
        Scrape s = Scrape.of(metrics);
        assertThat(s.contentType()).startsWith("text/plain").contains("version=0.0.4");
        assertThat(s.value("parley_connections", "transport", "websocket")).isZero();
        assertThat(s.value("parley_connections", "transport", "polling")).isZero();
        assertThat(s.value("parley_namespaces")).isEqualTo(1); // the main namespace
        assertThat(s.value("parley_handshakes_total", "outcome", "accepted")).isZero();
        assertThat(s.value("parley_buffered_bytes")).isZero();
        assertThat(s.text()).contains("# HELP parley_connections open Engine.IO connections");
    }

    @Test
    void connectionsByTransportGoUpAndDown() throws Exception {
        try (ParleyClient ws = ParleyClient.connect(base, only("websocket"));
             ParleyClient polling = ParleyClient.connect(base, only("polling"))) {
            connect(ws, "ws");
            connect(polling, "polling");
            Scrape s = Scrape.of(metrics);
            assertThat(s.value("parley_connections", "transport", "websocket")).isEqualTo(1);
            assertThat(s.value("parley_connections", "transport", "polling")).isEqualTo(1);
            assertThat(s.value("parley_sockets")).isEqualTo(2);
            assertThat(s.value("parley_socket_connects_total")).isEqualTo(2);
            assertThat(s.value("parley_handshakes_total", "outcome", "accepted", "reason", "none")).isEqualTo(2);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape s = Scrape.of(metrics);
            assertThat(s.value("parley_connections", "transport", "websocket")).isZero();
            assertThat(s.value("parley_connections", "transport", "polling")).isZero();
            assertThat(s.value("parley_sockets")).isZero();
            assertThat(s.sum("parley_connections_closed_total")).isEqualTo(2);
            assertThat(s.sum("parley_socket_disconnects_total")).isEqualTo(2);
        });
    }

    @Test
    void anUpgradeIsCounted() throws Exception {
        try (ParleyClient client = ParleyClient.connect(base, ClientOptions.defaults().reconnection(false))) {
            connect(client, "upgrading");
            await().atMost(WAIT).untilAsserted(() -> {
                Scrape s = Scrape.of(metrics);
                assertThat(s.value("parley_upgrades_total")).isEqualTo(1);
                assertThat(s.value("parley_connections", "transport", "websocket")).isEqualTo(1);
                assertThat(s.value("parley_connections", "transport", "polling")).isZero();
            });
        }
    }

    @Test
    void packetsBytesRoomsAndBroadcastsMoveAsClientsSend() throws Exception {
        try (ParleyClient a = ParleyClient.connect(base, only("websocket"));
             ParleyClient b = ParleyClient.connect(base, only("polling"))) {
            ClientSocket sa = connect(a, "a");
            ClientSocket sb = connect(b, "b");
            Scrape before = Scrape.of(metrics);
            String big = "x".repeat(10_000);
            assertThat(sa.emitWithAck("echo", big).get(5, TimeUnit.SECONDS).get(0)).isEqualTo(big);
            assertThat(sb.emitWithAck("join", "lobby").get(5, TimeUnit.SECONDS).get(0)).isEqualTo("joined");
            CompletableFuture<Object> news = new CompletableFuture<>();
            sa.on("news", (args, ack) -> news.complete(args.get(0)));
            parley.emit("news", "hello");
            assertThat(news.get(5, TimeUnit.SECONDS)).isEqualTo("hello");

            Scrape after = Scrape.of(metrics);
            assertThat(after.value("parley_packets_total", "direction", "in")
                    - before.value("parley_packets_total", "direction", "in")).isGreaterThanOrEqualTo(2);
            assertThat(after.value("parley_packets_total", "direction", "out")
                    - before.value("parley_packets_total", "direction", "out")).isGreaterThanOrEqualTo(4);
            assertThat(after.value("parley_payload_bytes_total", "direction", "in")
                    - before.value("parley_payload_bytes_total", "direction", "in")).isGreaterThan(10_000);
            assertThat(after.value("parley_payload_bytes_total", "direction", "out")
                    - before.value("parley_payload_bytes_total", "direction", "out")).isGreaterThan(10_000);
            assertThat(after.value("parley_rooms")).isEqualTo(1); // lobby; each socket's own room is not counted
            assertThat(after.value("parley_broadcasts_total") - before.value("parley_broadcasts_total")).isEqualTo(1);
            assertThat(after.value("parley_broadcast_deliveries_total")
                    - before.value("parley_broadcast_deliveries_total")).isEqualTo(2);
        }
    }

    @Test
    void handshakeRefusalsAreCountedByReason() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // no h2c upgrade
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(base.resolve("/socket.io/?EIO=4&transport=polling"))
                .header("Origin", "http://elsewhere.example").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
        HttpResponse<String> oldProtocol = http.send(HttpRequest.newBuilder(base.resolve("/socket.io/?EIO=3&transport=polling"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(oldProtocol.statusCode()).isEqualTo(400);
        HttpResponse<String> unknownSid = http.send(HttpRequest.newBuilder(
                base.resolve("/socket.io/?EIO=4&transport=polling&sid=nope")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknownSid.statusCode()).isEqualTo(400);

        Scrape s = Scrape.of(metrics);
        assertThat(s.value("parley_handshakes_total", "outcome", "refused", "reason", "origin")).isEqualTo(1);
        assertThat(s.value("parley_handshakes_total", "outcome", "invalid", "reason", "protocol")).isEqualTo(1);
        // a request of a session (a sid) is no handshake
        assertThat(s.sum("parley_handshakes_total")).isEqualTo(2);
    }

    @Test
    void ackTimeoutsAndDisconnectReasonsAreCounted() throws Exception {
        try (ParleyClient a = ParleyClient.connect(base, only("websocket"));
             ParleyClient b = ParleyClient.connect(base, only("websocket"))) {
            connect(a, "a");
            ClientSocket sb = connect(b, "b");
            // the client has no listener for this event: nothing answers
            CompletableFuture<?> unanswered = sockets.get("a").emitWithAck(Duration.ofMillis(100), "silence");
            assertThatThrownBy(() -> unanswered.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            sockets.get("a").disconnect(false);
            sb.disconnect();
            await().atMost(WAIT).untilAsserted(() -> {
                Scrape s = Scrape.of(metrics);
                assertThat(s.value("parley_ack_timeouts_total")).isEqualTo(1);
                assertThat(s.value("parley_socket_disconnects_total", "reason", "server namespace disconnect"))
                        .isEqualTo(1);
                assertThat(s.value("parley_socket_disconnects_total", "reason", "client namespace disconnect"))
                        .isEqualTo(1);
                assertThat(s.value("parley_sockets")).isZero();
            });
        }
    }

    @Test
    void metricsOffServesNothingThere() throws Exception {
        ParleyServer quiet = new ParleyServer(ParleyOptions.defaults());
        StandaloneServer off = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(quiet.engine(), false)), false, MetricsPage.of(quiet));
        try {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + off.port() + "/parley/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isNotEqualTo(200);
            assertThat(r.body()).doesNotContain("parley_");
        } finally {
            quiet.close();
            off.close();
        }
    }
}
