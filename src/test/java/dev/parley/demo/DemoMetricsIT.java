package dev.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.metrics.Scrape;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code curl /parley/metrics} on the demo server started as a user starts it,
 * {@code java -jar target/parley-standalone.jar --port P}: scraped over HTTP at rest, then while the
 * real {@code socket.io-client} (Node, {@code src/test/node/metrics/chat-client.mjs}) is connected and
 * has chatted (a join and five acknowledged 1,000-character messages), then after it disconnected:
 * connections, sockets, handshakes, packets and payload bytes in and out, the demo's room and its
 * broadcasts, disconnect reasons move as they should.
 */
class DemoMetricsIT {

    private static final Path WORK = Path.of("target/it-demo-metrics");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final File NODE_TESTS = new File(System.getProperty("parley.nodeTests", "src/test/node"));

    private final List<Process> processes = new ArrayList<>();
    private URI metrics;
    private String url;

    @BeforeEach
    void startTheDemoServer() throws Exception {
        File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(WORK);
        Path log = WORK.resolve("server.log");
        Process server = new ProcessBuilder(java(), "-jar", jar.getAbsolutePath(), "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(server);
        url = "http://127.0.0.1:" + port;
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!server.isAlive()) {
                throw new AssertionError("the demo server exited (" + server.exitValue() + "): " + Files.readString(log));
            }
            return Files.readString(log).contains("demo listening on " + url + "/");
        });
        metrics = URI.create(url + "/parley/metrics");
    }

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    private static double in(Scrape s, String name) {
        return s.value(name, "direction", "in");
    }

    private static double out(Scrape s, String name) {
        return s.value(name, "direction", "out");
    }

    @Test
    void curlParleyMetricsShowsTheMetersMovingAsAClientConnectsAndChats() throws Exception {
        Scrape rest = Scrape.of(metrics);
        assertThat(rest.contentType()).startsWith("text/plain");
        assertThat(rest.sum("parley_connections")).isZero();
        assertThat(rest.value("parley_sockets")).isZero();
        assertThat(rest.value("parley_adapter_state", "adapter", "memory", "state", "connected")).isEqualTo(1);

        Path clientOut = WORK.resolve("client.out");
        Process client = new ProcessBuilder(System.getProperty("parley.node", "node"), "metrics/chat-client.mjs",
                url, "5", "1000").directory(NODE_TESTS).redirectErrorStream(true).redirectOutput(clientOut.toFile())
                .start();
        processes.add(client);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.isAlive()).as("the client, which printed:%n%s", Files.readString(clientOut)).isTrue();
            assertThat(Files.readString(clientOut)).contains("SENT 5");
        });
        await().atMost(WAIT).untilAsserted(() -> { // the upgrade to WebSocket completes on its own
            Scrape s = Scrape.of(metrics);
            assertThat(s.value("parley_connections", "transport", "websocket")).isEqualTo(1);
            assertThat(s.value("parley_connections", "transport", "polling")).isZero();
            assertThat(s.value("parley_upgrades_total")).isEqualTo(1);
        });
        Scrape chatting = Scrape.of(metrics);
        assertThat(chatting.value("parley_sockets")).isEqualTo(1);
        assertThat(chatting.value("parley_socket_connects_total")).isEqualTo(1);
        assertThat(chatting.value("parley_handshakes_total", "outcome", "accepted")).isEqualTo(1);
        assertThat(chatting.value("parley_rooms")).as("the demo's lobby").isEqualTo(1);
        // in: the join and five chats; out: their six acks and the five chats broadcast to the lobby
        assertThat(in(chatting, "parley_packets_total") - in(rest, "parley_packets_total")).isGreaterThanOrEqualTo(6);
        assertThat(out(chatting, "parley_packets_total") - out(rest, "parley_packets_total")).isGreaterThanOrEqualTo(11);
        assertThat(in(chatting, "parley_payload_bytes_total") - in(rest, "parley_payload_bytes_total"))
                .isGreaterThan(5 * 1000);
        assertThat(out(chatting, "parley_payload_bytes_total") - out(rest, "parley_payload_bytes_total"))
                .isGreaterThan(5 * 1000);
        assertThat(chatting.value("parley_broadcasts_total") - rest.value("parley_broadcasts_total"))
                .isGreaterThanOrEqualTo(5);

        client.getOutputStream().close(); // the user leaves
        assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).as(Files.readString(clientOut)).isZero();
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape gone = Scrape.of(metrics);
            assertThat(gone.sum("parley_connections")).isZero();
            assertThat(gone.value("parley_sockets")).isZero();
            assertThat(gone.value("parley_rooms")).isZero();
            assertThat(gone.value("parley_socket_disconnects_total", "reason", "client namespace disconnect"))
                    .isEqualTo(1);
        });
    }

    private static String java() throws IOException {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
