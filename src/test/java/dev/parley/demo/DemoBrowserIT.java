package dev.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo pages in real headless Chromium against the standalone jar started as the README says
 * ({@code java -jar target/parley-standalone.jar --port N}): two pages chat over WebSocket, a page kept on
 * polling chats with them, each room shows its own presence, count, history, joins and messages and nothing of
 * another room's, a page switching rooms sees the new one's, both pages fit 1280 and 390 px, the dashboard
 * draws its charts; then the server is killed and started again on the same port and the pages show the
 * reconnection banner and chat on. Screenshots in {@code target/screenshots/standalone/}.
 */
class DemoBrowserIT {

    private static final Path WORK = Path.of("target/it-demo-browser");

    private Process server;
    private int port;
    private int starts;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void theDemoPagesWorkInChromiumAndCarryOnAfterARestart() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        start();
        JsonObject result = DemoPagesScript.run("http://127.0.0.1:" + port, new File("target/screenshots/standalone"),
                new DemoPagesScript.Restarts() {
                    @Override
                    public void stop() throws Exception {
                        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    }

                    @Override
                    public void start() throws Exception {
                        DemoBrowserIT.this.start();
                    }
                });
        assertThat(result.getJsonArray("checks").getValuesAs(JsonString::getString)).contains(
                "two pages chat over websocket", "a polling page chats with a websocket page",
                "rooms: presence list, history on entering", "chat fits 390 px",
                "rooms: joins, leaves and messages stay in their room",
                "a page that switches rooms sees the new room's presence and history", "dashboard draws its charts",
                "banner on restart, then chats on");
        assertThat(result.getJsonArray("screenshots").getValuesAs(JsonString::getString))
                .allSatisfy(p -> assertThat(new File(p)).isFile().isNotEmpty()).hasSize(5);
        assertThat(starts).isEqualTo(2);
    }

    private void start() throws Exception {
        File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        WORK.toFile().mkdirs();
        starts++;
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.getAbsolutePath(), "--host", "127.0.0.1", "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(WORK.resolve("server-" + starts + ".log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }
}
