package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged jar ({@code java -jar parley-standalone.jar --shutdown-grace 3000}) with official
 * socket.io-client 4.8 clients on each transport: the process exits by itself within the grace plus a margin, with
 * 143 (128 + SIGTERM: the JVM's status when that signal stops it, shutdown hooks run), its output saying it shut
 * down; every client sees {@code "transport close"} (never the final {@code "io server disconnect"}) and reconnects
 * by itself to the jar started again on the same port.
 */
class ShutdownIT {

    private static final long GRACE = 3_000;

    private final List<Process> servers = new ArrayList<>();
    private final List<ShutdownClients> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (ShutdownClients c : clients) {
            c.close();
        }
        for (Process p : servers) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void sigtermExitsWithinTheGraceAndClientsReconnectToTheNextProcess() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path work = Path.of("target/it-shutdown");
        Files.createDirectories(work);
        Process first = startJar(port, work.resolve("first.log"));
        String url = "http://127.0.0.1:" + port;
        ShutdownClients ws = ShutdownClients.start(url, 2, "websocket");
        clients.add(ws);
        ShutdownClients polling = ShutdownClients.start(url, 2, "polling");
        clients.add(polling);
        await().atMost(Duration.ofSeconds(30)).until(() -> ws.lines("CONNECTED").size() == 2
                && polling.lines("CONNECTED").size() == 2);

        long start = System.nanoTime();
        first.destroy(); // SIGTERM
        boolean exited = first.waitFor(GRACE + 10_000, TimeUnit.MILLISECONDS);
        long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(exited).as("the jar exited by itself after SIGTERM").isTrue();
        System.out.println("[ShutdownIT] exit " + first.exitValue() + " after " + exitMillis + " ms");
        assertThat(first.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
        String log = Files.readString(work.resolve("first.log"));
        assertThat(log).contains("Parley shutting down (grace " + GRACE + " ms)").contains("Parley shut down in ");
        // the lifecycle line, through java.util.logging, before the JDK's own hook closes its handlers
        assertThat(log).containsPattern("INFO: Parley stopped: 4 connection\\(s\\) and 4 socket\\(s\\) closed in \\d+ ms "
                + "\\(shutdown grace " + GRACE + " ms\\)");

        for (ShutdownClients c : List.of(ws, polling)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> c.lines("DISCONNECTED").size() == 2);
            assertThat(c.lines("DISCONNECTED")).allMatch(l -> l.endsWith(" transport_close true"));
        }

        startJar(port, work.resolve("second.log"));
        for (ShutdownClients c : List.of(ws, polling)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> c.lines("CONNECTED").size() == 4);
            assertThat(c.connects(0)).isEqualTo(2);
            assertThat(c.connects(1)).isEqualTo(2);
        }
        assertThat(ws.lines()).noneMatch(l -> l.contains("io_server_disconnect"));
        assertThat(polling.lines()).noneMatch(l -> l.contains("io_server_disconnect"));
    }

    /**
     * The lifecycle "stopped" line at every SIGTERM, not only when Parley's hook happens to beat the JDK's own
     * (java.util.logging's {@code LogManager$Cleaner}, which removes and closes the handlers): before
     * {@code ShutdownLogManager} it was missing in each of 5 runs out of 5 here. Three idle jars in a row, each line
     * written before the jar's last line.
     */
    @Test
    void theStoppedLineIsLoggedAtEverySigterm() throws Exception {
        Path work = Path.of("target/it-shutdown");
        Files.createDirectories(work);
        for (int round = 1; round <= 3; round++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path logFile = work.resolve("idle-" + round + ".log");
            Process p = startJar(port, logFile);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(GRACE + 10_000, TimeUnit.MILLISECONDS)).as("round %d: exited", round).isTrue();
            assertThat(p.exitValue()).isEqualTo(143);
            String log = Files.readString(logFile);
            assertThat(log).as("round %d", round)
                    .containsPattern("INFO: Parley stopped: 0 connection\\(s\\) and 0 socket\\(s\\) closed in \\d+ ms")
                    .containsSubsequence("Parley shutting down", "INFO: Parley stopped: ", "Parley shut down in ");
        }
    }

    private Process startJar(int port, Path log) throws IOException {
        File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.getAbsolutePath(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--shutdown-grace", Long.toString(GRACE))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(p);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("the jar exited (" + p.exitValue() + "): " + Files.readString(log));
            }
            return Files.readString(log).contains("listening on http://127.0.0.1:" + port + "/");
        });
        return p;
    }
}
