package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.testing.NodeTestRun;
import dev.parley.testing.RedisServer;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's done-when with the packaged jar: two processes
 * {@code java -jar parley-standalone.jar --bench --adapter redis --redis-url redis://127.0.0.1:P --port N}
 * on one real redis-server share the room {@code bench}: a {@code bench} event sent to one node
 * reaches the official {@code socket.io-client}s of both, once ({@code src/test/node/cluster/bench-redis.test.mjs}).
 */
class BenchModeRedisIT {

    private static RedisServer redis;
    private static final List<Process> servers = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        redis = RedisServer.start();
        File work = new File("target/it-bench-redis");
        work.mkdirs();
        for (int i = 0; i < 2; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path log = work.toPath().resolve("server-" + i + ".log");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.getAbsolutePath(), "--bench", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--adapter", "redis", "--redis-url", redis.url())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            servers.add(p);
            ports.add(port);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!p.isAlive()) {
                    throw new AssertionError("the server exited (" + p.exitValue() + "): " + Files.readString(log));
                }
                return Files.readString(log).contains("benchmark server listening on http://127.0.0.1:" + port + "/");
            });
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : servers) {
            p.destroy();
        }
        for (Process p : servers) {
            p.waitFor();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aBenchEventSentToOneNodeReachesTheClientsOfBothOnce() throws Exception {
        File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        NodeTestRun.run(dir, "cluster/bench-redis.test.mjs", Map.of(
                "PARLEY_URL_A", "http://127.0.0.1:" + ports.get(0),
                "PARLEY_URL_B", "http://127.0.0.1:" + ports.get(1)), 60);
    }
}
