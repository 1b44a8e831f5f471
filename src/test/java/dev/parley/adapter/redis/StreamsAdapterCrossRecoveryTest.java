package dev.parley.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.AdapterFactory;
import dev.parley.testing.NodeServerProcess;
import dev.parley.testing.RedisServer;
import java.io.File;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection state recovery between Parley and Node Socket.IO nodes of one cluster (Redis Streams
 * adapter on both: the same session keys, session encoding and stream ids as offsets): a client
 * whose node stops recovers on a node of the other implementation that takes over its port, with
 * its id and every event broadcast meanwhile.
 */
class StreamsAdapterCrossRecoveryTest {

    private static final File NODE_TESTS = new File(System.getProperty("parley.nodeTests", "src/test/node"));

    private RedisServer redis;
    private InJvmNodes cluster;
    private NodeServerProcess node;
    private Supplier<AdapterFactory> factory;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        cluster = new InJvmNodes();
        factory = () -> StreamsAdapterFactory.builder(redis.url()).sessionTtl(Duration.ofMinutes(1)).build();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            cluster.close();
            if (node != null) {
                node.close();
            }
        } finally {
            redis.close();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private NodeServerProcess nodeOn(int port) throws Exception {
        return NodeServerProcess.start(NODE_TESTS, "cluster/streams-server.cjs",
                Map.of("REDIS_URL", redis.url(), "PORT", Integer.toString(port)));
    }

    @Test
    void aClientOfAStoppedNodeNodeRecoversOnAParleyNode() throws Exception {
        InJvmNodes.Node broadcaster = cluster.start(factory, 60_000);
        int port = freePort();
        node = nodeOn(port);
        InJvmNodes.Client client = cluster.connect(port, "red");
        String id = client.socket().id();
        CompletableFuture<String> lost = new CompletableFuture<>();
        client.socket().onDisconnect(lost::complete);
        broadcaster.parley().to("red").emit("news", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.received().contains("news:0"));

        node.close(); // socket.io persists the session as it shuts down
        node = null;
        await().atMost(Duration.ofSeconds(10)).until(lost::isDone);
        broadcaster.parley().to("red").emit("news", 1);
        broadcaster.parley().to("blue").emit("news", "not for red");
        broadcaster.parley().emit("news", 2);

        cluster.start(factory, 60_000, port);
        await().atMost(Duration.ofSeconds(15)).until(() -> client.socket().isConnected()
                && client.received().contains("news:2"));
        assertThat(client.socket().recovered()).isTrue();
        assertThat(client.socket().id()).isEqualTo(id);
        assertThat(List.copyOf(client.received())).containsExactly("news:0", "news:1", "news:2");
    }

    @Test
    void aClientOfAStoppedParleyNodeRecoversOnANodeNode() throws Exception {
        InJvmNodes.Node broadcaster = cluster.start(factory, 60_000);
        InJvmNodes.Node a = cluster.start(factory, 60_000);
        int port = a.port();
        InJvmNodes.Client client = cluster.connect(a, "red");
        String id = client.socket().id();
        CompletableFuture<String> lost = new CompletableFuture<>();
        client.socket().onDisconnect(lost::complete);
        broadcaster.parley().to("red").emit("news", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.received().contains("news:0"));

        cluster.stop(a);
        await().atMost(Duration.ofSeconds(10)).until(lost::isDone);
        broadcaster.parley().to("red").emit("news", 1);
        broadcaster.parley().to("blue").emit("news", "not for red");
        broadcaster.parley().emit("news", 2);

        node = nodeOn(port);
        await().atMost(Duration.ofSeconds(15)).until(() -> client.socket().isConnected()
                && client.received().contains("news:2"));
        assertThat(client.socket().recovered()).isTrue();
        assertThat(client.socket().id()).isEqualTo(id);
        assertThat(List.copyOf(client.received())).containsExactly("news:0", "news:1", "news:2");
    }
}
