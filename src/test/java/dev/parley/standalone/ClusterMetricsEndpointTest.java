package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.AdapterFactory;
import dev.parley.adapter.redis.RedisAdapterFactory;
import dev.parley.adapter.redis.RedisAdapterOptions;
import dev.parley.adapter.redis.ShardedPubSubAdapterFactory;
import dev.parley.adapter.redis.StreamsAdapterFactory;
import dev.parley.client.ClientSocket;
import dev.parley.metrics.Scrape;
import dev.parley.server.ParleyServer;
import dev.parley.server.RemoteSocket;
import dev.parley.testing.LocalNodes;
import dev.parley.testing.LocalNodes.Node;
import dev.parley.testing.RedisServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The adapter's meters on the standalone metrics endpoint, two Parley nodes on one real
 * {@code redis-server}, for each Redis adapter (pub/sub, sharded pub/sub, streams): a fetchSockets
 * across the two nodes moves {@code parley_adapter_requests_seconds_count} for {@code fetch-sockets}
 * / {@code answered} by one, and its time sum; a serverSideEmitWithAck and a broadcast with
 * acknowledgement move theirs. {@code parley_adapter_state} is 1 for {@code connected}, moves to
 * {@code reconnecting} when Redis is killed (a fetchSockets then counted as {@code failed}) and back
 * to {@code connected} when it is restarted. A subscriber that Redis counts as a node but that never
 * answers makes a fetchSockets time out: one {@code timed-out}, its time the request timeout.
 */
class ClusterMetricsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * The adapters, each made on a Redis URL with a short request timeout, and the subscription by
     * which the adapter counts the nodes of the main namespace (a subscriber there that never answers
     * is a node that died without unsubscribing).
     */
    enum Kind {
        REDIS("redis", url -> new RedisAdapterFactory(RedisAdapterOptions.of(url)
                .withRequestTimeout(Duration.ofSeconds(2))), "SUBSCRIBE socket.io-request#/#"),
        SHARDED("redis-sharded", url -> ShardedPubSubAdapterFactory.builder(url)
                .requestTimeout(Duration.ofSeconds(2)).build(), "SSUBSCRIBE socket.io#/#"),
        STREAMS("redis-streams", url -> StreamsAdapterFactory.builder(url)
                .requestTimeout(Duration.ofSeconds(2)).build(), "SUBSCRIBE socket.io#/#");

        final String tag;
        final Function<String, AdapterFactory> factory;
        final String countedSubscription;

        Kind(String tag, Function<String, AdapterFactory> factory, String countedSubscription) {
            this.tag = tag;
            this.factory = factory;
            this.countedSubscription = countedSubscription;
        }
    }

    private LocalNodes cluster;
    private RedisServer redis;

    @BeforeEach
    void startRedis() throws Exception {
        cluster = LocalNodes.withRedis();
        redis = cluster.redis();
    }

    @AfterEach
    void stopAll() throws Exception {
        cluster.close();
    }

    private Node node(Kind kind) throws Exception {
        ParleyServer parley = new ParleyServer(Main.STANDALONE_DEFAULTS.toBuilder()
                .adapterFactory(kind.factory.apply(redis.url())).build());
        parley.onServerSideEmit("ping", (args, ack) -> ack.send("pong"));
        return cluster.serve(parley, MetricsPage.of(parley));
    }

    private ClientSocket connect(Node node) throws Exception {
        ClientSocket socket = cluster.connect(node, "/");
        socket.connected().get(10, TimeUnit.SECONDS);
        return socket;
    }

    private static URI metrics(Node node) {
        return node.uri("/parley/metrics");
    }

    private static double requests(Scrape s, Kind kind, String type, String outcome, String series) {
        return s.value("parley_adapter_requests_seconds_" + series, "adapter", kind.tag, "type", type,
                "outcome", outcome);
    }

    private static double state(Scrape s, Kind kind, String state) {
        return s.value("parley_adapter_state", "adapter", kind.tag, "state", state);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void requestsAcrossTwoNodesAreTimedByTypeAndOutcome(Kind kind) throws Exception {
        Node a = node(kind);
        Node b = node(kind);
        connect(a).on("ping", (args, ack) -> ack.accept(new Object[] {"pong"}));
        connect(b).on("ping", (args, ack) -> ack.accept(new Object[] {"pong"}));
        await().atMost(WAIT).until(() -> a.parley().serverCount().get() == 2);

        Scrape before = Scrape.of(metrics(a));
        assertThat(requests(before, kind, "fetch-sockets", "answered", "count")).isZero();
        List<RemoteSocket> all = a.parley().fetchSockets().get(10, TimeUnit.SECONDS);
        assertThat(all).hasSize(2); // one here, one on b: b answered
        assertThat(a.parley().serverSideEmitWithAck(Duration.ofSeconds(5), "ping").get(10, TimeUnit.SECONDS))
                .hasSize(1);
        assertThat(a.parley().timeout(Duration.ofSeconds(5)).emitWithAck("ping").get(10, TimeUnit.SECONDS))
                .hasSize(2); // both clients answered: b's count came through Redis

        await().atMost(WAIT).untilAsserted(() -> {
            Scrape after = Scrape.of(metrics(a));
            assertThat(requests(after, kind, "fetch-sockets", "answered", "count")).isEqualTo(1);
            assertThat(requests(after, kind, "fetch-sockets", "answered", "sum")).isPositive();
            assertThat(requests(after, kind, "server-side-emit", "answered", "count")).isEqualTo(1);
            assertThat(requests(after, kind, "broadcast-ack", "answered", "count")).isEqualTo(1);
            assertThat(requests(after, kind, "fetch-sockets", "timed-out", "count")).isZero();
            assertThat(requests(after, kind, "fetch-sockets", "failed", "count")).isZero();
        });
        // the answering node asked nothing
        assertThat(Scrape.of(metrics(b)).sum("parley_adapter_requests_seconds_count")).isZero();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aNodeThatNeverAnswersMakesARequestTimeOut(Kind kind) throws Exception {
        Node a = node(kind);
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", redis.port())) {
            silent.setSoTimeout(5000);
            silent.getOutputStream().write((kind.countedSubscription + "\r\n").getBytes(StandardCharsets.US_ASCII));
            silent.getOutputStream().flush();
            assertThat(silent.getInputStream().read()).as("Redis confirms the subscription").isEqualTo('*');
            await().atMost(WAIT).until(() -> a.parley().serverCount().get() == 2);

            assertThatThrownBy(() -> a.parley().fetchSockets().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            Scrape s = Scrape.of(metrics(a));
            assertThat(requests(s, kind, "fetch-sockets", "timed-out", "count")).isEqualTo(1);
            assertThat(requests(s, kind, "fetch-sockets", "timed-out", "sum")).as("the 2 s request timeout, in seconds")
                    .isBetween(1.9, 9.0);
            assertThat(requests(s, kind, "fetch-sockets", "answered", "count")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theStateGaugeFollowsRedisDownAndBack(Kind kind) throws Exception {
        Node a = node(kind);
        Node b = node(kind);
        await().atMost(WAIT).until(() -> a.parley().serverCount().get() == 2);
        Scrape up = Scrape.of(metrics(a));
        assertThat(state(up, kind, "connected")).isEqualTo(1);
        assertThat(state(up, kind, "reconnecting")).isZero();
        assertThat(state(up, kind, "down")).isZero();

        redis.stop();
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape down = Scrape.of(metrics(a));
            assertThat(state(down, kind, "connected")).isZero();
            assertThat(state(down, kind, "reconnecting")).isEqualTo(1);
        });
        assertThatThrownBy(() -> a.parley().fetchSockets().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(requests(Scrape.of(metrics(a)), kind, "fetch-sockets", "failed", "count")).isEqualTo(1);

        redis.restart();
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape back = Scrape.of(metrics(a));
            assertThat(state(back, kind, "connected")).isEqualTo(1);
            assertThat(state(back, kind, "reconnecting")).isZero();
        });
        assertThat(state(Scrape.of(metrics(b)), kind, "connected")).isEqualTo(1);
    }
}
