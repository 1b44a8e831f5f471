package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.testing.NodeTestRun;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The packaged standalone jar as an outside check runs it,
 * {@code java -jar parley-standalone.jar --bench --recovery-max-disconnection 120000}: the benchmark
 * contract unchanged, and the official {@code socket.io-client} 4.8 recovering its sessions across
 * cuts, on each transport mode ({@code src/test/node/recovery/bench-mode.test.mjs}).
 */
class BenchModeRecoveryIT {

    private static Process server;
    private static int port;
    private static Path log;

    @BeforeAll
    static void start() throws Exception {
        File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        File work = new File("target/it-bench-mode");
        work.mkdirs();
        log = work.toPath().resolve("server.log");
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.getAbsolutePath(), "--bench", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--recovery-max-disconnection", "120000")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited (" + server.exitValue() + "): " + Files.readString(log));
            }
            return Files.readString(log).contains("benchmark server listening on http://127.0.0.1:" + port + "/");
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.destroy();
        }
    }

    @TestFactory
    Stream<DynamicTest> socketIoClientRecoversAgainstTheBenchMode() {
        File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        return List.of("websocket", "polling", "polling,websocket").stream().map(mode -> DynamicTest.dynamicTest(
                "recovery/bench-mode.test.mjs [" + mode + "]", () -> NodeTestRun.run(dir, "recovery/bench-mode.test.mjs",
                        Map.of("PARLEY_URL", "http://127.0.0.1:" + port, "PARLEY_TRANSPORTS", mode), 120)));
    }
}
