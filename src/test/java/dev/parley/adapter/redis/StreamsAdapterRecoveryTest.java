package dev.parley.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.AdapterFactory;
import dev.parley.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection state recovery across nodes with the Redis Streams adapter: a client whose node is
 * gone recovers, on another node, its id, its rooms and every event broadcast meanwhile, in order.
 */
class StreamsAdapterRecoveryTest {

    private static RedisServer redis;
    private InJvmNodes cluster;
    private final Supplier<AdapterFactory> factory = () -> StreamsAdapterFactory.builder(redis.url())
            .sessionTtl(Duration.ofMinutes(1)).build();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void newCluster() {
        cluster = new InJvmNodes();
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void aClientWhoseNodeIsGoneRecoversOnAnotherNodeWithEveryMissedEvent() throws Exception {
        InJvmNodes.Node a = cluster.start(factory, 60_000);
        InJvmNodes.Node b = cluster.start(factory, 60_000);
        int portOfA = a.port();
        InJvmNodes.Client client = cluster.connect(a, "red");
        String id = client.socket().id();
        CompletableFuture<String> lost = new CompletableFuture<>();
        client.socket().onDisconnect(lost::complete);

        b.parley().to("red").emit("news", 0); // the client has an offset now
        await().atMost(Duration.ofSeconds(10)).until(() -> client.received().contains("news:0"));

        cluster.stop(a); // its server and engine stopped: the client loses its connection
        await().atMost(Duration.ofSeconds(10)).until(lost::isDone);
        b.parley().to("red").emit("news", 1);
        b.parley().to("blue").emit("news", "not for red");
        b.parley().emit("news", 2);
        b.parley().to("red").except("red").emit("news", "excepted");

        // another node takes over A's port: the client reconnects to it
        InJvmNodes.Node c = cluster.start(factory, 60_000, portOfA);
        await().atMost(Duration.ofSeconds(15)).until(() -> client.socket().isConnected()
                && client.received().contains("news:2"));
        assertThat(client.socket().recovered()).isTrue();
        assertThat(client.socket().id()).isEqualTo(id);
        b.parley().to("red").emit("news", 3); // its rooms came back on the new node
        await().atMost(Duration.ofSeconds(10)).until(() -> client.received().contains("news:3"));
        assertThat(List.copyOf(client.received())).containsExactly("news:0", "news:1", "news:2", "news:3");
        assertThat(c.parley().in("red").localSockets()).hasSize(1);
    }

    @Test
    void aClientRecoveringWhileEventsStreamGetsEachOnceAndInOrder() throws Exception {
        InJvmNodes.Node a = cluster.start(factory, 60_000);
        InJvmNodes.Node b = cluster.start(factory, 60_000);
        int portOfA = a.port();
        InJvmNodes.Client client = cluster.connect(a, "red");
        String id = client.socket().id();
        int count = 600;
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                b.parley().to("red").emit("tick", i);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3)); // spreads the stream over ~2 s (pacing)
            }
        }, "test-publisher");
        publisher.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> client.received().size() >= 50);
            cluster.stop(a); // mid-stream
            cluster.start(factory, 60_000, portOfA); // the client comes back mid-stream too
            await().atMost(Duration.ofSeconds(30)).until(() -> client.received().contains("tick:" + (count - 1)));
        } finally {
            publisher.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(client.socket().recovered()).isTrue();
        assertThat(client.socket().id()).isEqualTo(id);
        List<String> expected = IntStream.range(0, count).mapToObj(i -> "tick:" + i).toList();
        assertThat(List.copyOf(client.received())).containsExactlyElementsOf(expected);
    }
}
