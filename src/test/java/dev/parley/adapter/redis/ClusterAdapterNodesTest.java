package dev.parley.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.AdapterFactory;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.RemoteSocket;
import dev.parley.testing.LogCapture;
import dev.parley.testing.RedisServer;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.logging.LogRecord;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several Parley nodes in this JVM on one real Redis, with a cluster adapter each, and real Java
 * clients: what the cluster does as one. A subclass names the adapter.
 */
abstract class ClusterAdapterNodesTest {

    protected static RedisServer redis;
    protected InJvmNodes cluster;

    /** A factory of the adapter under test on {@code url}, with this request timeout. */
    protected abstract AdapterFactory factory(String url, Duration requestTimeout);

    /** The namespace channel a node subscribes to (to fake a node that never answers). */
    protected abstract void subscribeAsSilentNode(StatefulRedisPubSubConnection<String, String> connection);

    /**
     * Writes malformed messages where the adapter of namespace "/" reads them, and returns how many
     * kinds of malformed input that is (each is logged once).
     */
    protected abstract int sendGarbage(RedisCommands<String, String> redis);

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void newCluster() throws Exception {
        try (var c = RedisClient.create(redis.url()); var conn = c.connect()) {
            conn.sync().flushall(); // each test on an empty Redis (stream, sessions)
        }
        cluster = new InJvmNodes();
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    InJvmNodes.Node node() throws Exception {
        return cluster.start(() -> factory(redis.url(), Duration.ofSeconds(5)), 0);
    }

    @Test
    void theServerCountFollowsTheNodes() throws Exception {
        InJvmNodes.Node a = node();
        InJvmNodes.Node b = node();
        InJvmNodes.Node c = node();
        assertThat(a.parley().serverCount().get(5, TimeUnit.SECONDS)).isEqualTo(3);
        cluster.stop(c);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.parley().serverCount().get(5, TimeUnit.SECONDS) == 2);
    }

    @Test
    void aBroadcastWithRoomsAndExceptionsReachesEachSelectedSocketOnceOnEveryNode() throws Exception {
        InJvmNodes.Node a = node();
        InJvmNodes.Node b = node();
        InJvmNodes.Client a1 = cluster.connect(a, "red");
        InJvmNodes.Client a2 = cluster.connect(a, "red,blue");
        InJvmNodes.Client b1 = cluster.connect(b, "red");
        InJvmNodes.Client b2 = cluster.connect(b, "blue");
        InJvmNodes.Client b3 = cluster.connect(b, "");

        a.parley().to("red", "blue").except("blue").emit("news", 1); // a1, b1
        b.parley().to("blue").emit("news", 2);                       // a2, b2
        b.parley().emit("news", 3);                                  // everyone
        // the fence: sent after the others by the same node, so every earlier copy is in when it is
        for (InJvmNodes.Client c : List.of(a1, a2, b1, b2, b3)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> c.received().contains("news:3"));
        }
        assertThat(InJvmNodes.counts(a1.received())).isEqualTo(Map.of("news:1", 1, "news:3", 1));
        assertThat(InJvmNodes.counts(a2.received())).isEqualTo(Map.of("news:2", 1, "news:3", 1));
        assertThat(InJvmNodes.counts(b1.received())).isEqualTo(Map.of("news:1", 1, "news:3", 1));
        assertThat(InJvmNodes.counts(b2.received())).isEqualTo(Map.of("news:2", 1, "news:3", 1));
        assertThat(InJvmNodes.counts(b3.received())).isEqualTo(Map.of("news:3", 1));
    }

    @Test
    void aBroadcastWithAckCollectsTheAnswersOfEveryNode() throws Exception {
        InJvmNodes.Node a = node();
        InJvmNodes.Node b = node();
        for (InJvmNodes.Client c : List.of(cluster.connect(a, ""), cluster.connect(b, ""), cluster.connect(b, ""))) {
            c.socket().on("question", (args, reply) -> reply.accept(new Object[]{"yes " + c.socket().id()}));
        }
        List<Args> answers = a.parley().timeout(Duration.ofSeconds(5)).emitWithAck("question")
                .get(10, TimeUnit.SECONDS);
        assertThat(answers).hasSize(3).allSatisfy(x -> assertThat(x.getString(0)).startsWith("yes "));
    }

    @Test
    void fetchSocketsDescribesTheSocketsOfEveryNodeAndJoinsAcrossNodes() throws Exception {
        InJvmNodes.Node a = node();
        InJvmNodes.Node b = node();
        InJvmNodes.Client a1 = cluster.connect(a, "red");
        InJvmNodes.Client b1 = cluster.connect(b, "red");
        cluster.connect(b, "blue");

        List<RemoteSocket> red = a.parley().in("red").fetchSockets().get(10, TimeUnit.SECONDS);
        assertThat(red).extracting(RemoteSocket::id).containsExactlyInAnyOrder(a1.socket().id(), b1.socket().id());
        RemoteSocket remote = red.stream().filter(s -> s.id().equals(b1.socket().id())).findFirst().orElseThrow();
        assertThat(remote.rooms()).isEqualTo(Set.of(b1.socket().id(), "red"));
        assertThat(remote.handshake().getJsonObject("auth").getString("rooms")).isEqualTo("red");

        a.parley().in("red").socketsJoin("green"); // b1 on the other node joins too
        await().atMost(Duration.ofSeconds(10)).until(() -> b.parley().in("green").localSockets().size() == 1);
        a.parley().to("green").emit("hello", "green");
        await().atMost(Duration.ofSeconds(10)).until(() -> b1.received().contains("hello:green"));
    }

    @Test
    void aServerSideEmitWithAckGetsEveryOtherNodesAnswer() throws Exception {
        InJvmNodes.Node a = node();
        InJvmNodes.Node b = node();
        InJvmNodes.Node c = node();
        b.parley().onServerSideEmit("ping", (args, ack) -> ack.send("pong from b " + args.getInt(0)));
        c.parley().onServerSideEmit("ping", (args, ack) -> ack.send("pong from c " + args.getInt(0)));
        List<Args> answers = a.parley().serverSideEmitWithAck(Duration.ofSeconds(5), "ping", 7)
                .get(10, TimeUnit.SECONDS);
        assertThat(answers).extracting(x -> x.getString(0))
                .containsExactlyInAnyOrder("pong from b 7", "pong from c 7");
    }

    @Test
    void aNodeThatNeverAnswersIsWaitedForOnlyUntilTheTimeout() throws Exception {
        InJvmNodes.Node a = cluster.start(() -> factory(redis.url(), Duration.ofMillis(500)), 0);
        cluster.connect(a, "");
        try (RedisClient client = RedisClient.create(redis.url());
             StatefulRedisPubSubConnection<String, String> silent = client.connectPubSub()) {
            subscribeAsSilentNode(silent); // counted as a node, answers nothing: a node hung or dying
            assertThat(a.parley().serverCount().get(5, TimeUnit.SECONDS)).isEqualTo(2);
            long start = System.nanoTime();
            assertThatThrownBy(() -> a.parley().fetchSockets().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400),
                    Duration.ofSeconds(5));
        }
        // the silent node's connection is gone: it is no longer counted nor waited for
        await().atMost(Duration.ofSeconds(5)).until(() -> a.parley().serverCount().get(5, TimeUnit.SECONDS) == 1);
        assertThat(a.parley().fetchSockets().get(5, TimeUnit.SECONDS)).hasSize(1);
    }

    @Test
    void malformedMessagesFromRedisAreLoggedOncePerKindAndDropped() throws Exception {
        try (LogCapture log = LogCapture.start();
             RedisClient client = RedisClient.create(redis.url());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            InJvmNodes.Node a = node();
            InJvmNodes.Client onA = cluster.connect(a, "");
            log.mark();
            int kinds = sendGarbage(connection.sync());
            sendGarbage(connection.sync());
            await().atMost(Duration.ofSeconds(10)).until(() -> adapterWarnings(log).size() >= kinds);

            InJvmNodes.Node b = node(); // still one cluster: node A reads on
            b.parley().emit("after", "garbage");
            await().atMost(Duration.ofSeconds(10)).until(() -> onA.received().contains("after:garbage"));
            assertThat(adapterWarnings(log)).hasSize(kinds);
            log.assertNoStackTraces();
        }
    }

    private static List<LogRecord> adapterWarnings(LogCapture log) {
        // warnings only: the nodes' "Redis ... connected" lines are INFO
        return log.records().stream().filter(r -> r.getLoggerName().startsWith("dev.parley.adapter.redis"))
                .filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()).toList();
    }

    @Test
    void theNodesGoOnAfterRedisRestarts() throws Exception {
        InJvmNodes.Node a = node();
        InJvmNodes.Node b = node();
        InJvmNodes.Client onB = cluster.connect(b, "red");
        a.parley().to("red").emit("before", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.received().contains("before:1"));

        try (LogCapture log = LogCapture.start()) {
            redis.restart(); // empty, on the same port: Lettuce reconnects and subscribes again by itself
            // what is published while a node is still reconnecting is lost (at most once): emit until one arrives
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                a.parley().to("red").emit("after", 2);
                return onB.received().contains("after:2");
            });
            // each node: the outage once (WARNING), its end once (INFO), however many publishes failed between
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.records().stream()
                    .filter(r -> r.getLoggerName().equals(OutageLog.class.getName())).map(LogRecord::getLevel)
                    .toList()).containsExactlyInAnyOrder(java.util.logging.Level.WARNING,
                    java.util.logging.Level.WARNING, java.util.logging.Level.INFO, java.util.logging.Level.INFO));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> a.parley().serverCount().get(5, TimeUnit.SECONDS) == 2);
        assertThat(a.parley().fetchSockets().get(10, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
                .containsExactly(onB.socket().id());
    }

    @Test
    void withRedisGoneABroadcastWaitsAtMostTheRequestTimeoutAndReachesThisNode() throws Exception {
        InJvmNodes.Node a = cluster.start(() -> factory(redis.url(), Duration.ofMillis(500)), 0);
        InJvmNodes.Client onA = cluster.connect(a, "");
        redis.stop();
        try {
            long start = System.nanoTime();
            a.parley().emit("alone", 1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            await().atMost(Duration.ofSeconds(5)).until(() -> onA.received().contains("alone:1"));
        } finally {
            redis.restart();
        }
    }
}
