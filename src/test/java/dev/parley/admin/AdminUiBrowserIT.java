package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official Admin UI, served by the standalone jar (started as the README's "Admin UI" section says, with
 * basic auth), in headless Chromium: it logs in, lists the sockets and the room of three socket.io-client
 * sockets on the demo chat, and its disconnect button disconnects one ({@link AdminUiScript}).
 * Screenshots in {@code target/screenshots/admin-ui/standalone/}.
 */
class AdminUiBrowserIT {

    private static final Path WORK = Path.of("target/it-admin-ui-browser");

    private Process server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void theAdminUiLogsInListsSocketsAndRoomsAndDisconnectsOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        WORK.toFile().mkdirs();
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.getAbsolutePath(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--admin-ui", "true", "--admin-ui-auth", "basic", "--admin-ui-username", AdminUiScript.USERNAME,
                "--admin-ui-password-hash", AdminUiScript.PASSWORD_HASH)
                .redirectErrorStream(true).redirectOutput(WORK.resolve("server.log").toFile()).start();
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create(url + "/admin-ui/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        // the demo chat's "room" event moves a socket into a room
        AdminUiScript.run(url, "/socket.io", url + "/admin-ui/", "room",
                new File("target/screenshots/admin-ui/standalone"));
    }
}
