package dev.parley.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.RemoteSocket;
import dev.parley.standalone.StandaloneServer;
import dev.parley.testing.LogCapture;
import dev.parley.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three Parley nodes (ParleyServer + StandaloneServer on port 0, in this JVM) sharing one real
 * redis-server through {@link RedisAdapterFactory}, with real clients ({@link ParleyClient}):
 * broadcasts reach every matching socket on every node once, and the cluster operations
 * (fetchSockets, remote sockets, socketsJoin/Leave, disconnectSockets, serverSideEmit, emitWithAck,
 * serverCount) span the nodes; a node that never answers makes a request fail at the request
 * timeout; Redis restarted, traffic resumes, nothing twice.
 *
 * <p>Node 2 publishes its answers on the asking node's own response channel
 * ({@code publishOnSpecificResponseChannel}), the others on the shared one.
 *
 * <p>Sockets: A0 (node 0, room a), A1 (node 1, a), B1 (node 1, b), AB2 (node 2, a and b), X2 (node 2).
 */
class RedisClusterTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);

    private RedisServer redis;
    private final List<ParleyServer> nodes = new ArrayList<>();
    private final List<StandaloneServer> servers = new ArrayList<>();
    private final List<ParleyClient> clients = new ArrayList<>();
    private final List<String> serverSideEvents = new CopyOnWriteArrayList<>();
    private Peer a0;
    private Peer a1;
    private Peer b1;
    private Peer ab2;
    private Peer x2;

    /** A client's socket and what it received ("event:arg"). */
    private record Peer(String name, ClientSocket socket, List<String> got, List<String> disconnects) {
        List<String> events(String event) {
            return got.stream().filter(s -> s.startsWith(event + ":")).map(s -> s.substring(event.length() + 1))
                    .toList();
        }
    }

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        for (int i = 0; i < 3; i++) {
            int node = i;
            // node 2 answers on each asking node's own response channel: both forms are read
            ParleyServer parley = new ParleyServer(ParleyOptions.builder().adapterFactory(new RedisAdapterFactory(
                    RedisAdapterOptions.of(redis.url()).withRequestTimeout(REQUEST_TIMEOUT)
                            .withPublishOnSpecificResponseChannel(node == 2))).build());
            parley.onConnection(socket -> {
                var auth = socket.handshake().auth();
                String rooms = auth.getString("rooms", "");
                if (!rooms.isEmpty()) {
                    socket.join(rooms.split(","));
                }
                socket.data().put("name", auth.getString("name", "?"));
                socket.data().put("node", node);
            });
            parley.onServerSideEmit("hello", (args, ack) -> {
                serverSideEvents.add(node + ":" + args.getString(0));
                if (ack.requested()) {
                    ack.send("hi from " + node);
                }
            });
            nodes.add(parley);
            servers.add(StandaloneServer.start("127.0.0.1", 0,
                    List.of(new StandaloneServer.Mount(parley.engine(), false)), false));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.get(0).serverCount().get(2, TimeUnit.SECONDS) == 3);
        a0 = connect(0, "A0", "a");
        a1 = connect(1, "A1", "a");
        b1 = connect(1, "B1", "b");
        ab2 = connect(2, "AB2", "a,b");
        x2 = connect(2, "X2", "");
    }

    private Peer connect(int node, String name, String rooms) throws Exception {
        ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + servers.get(node).port()),
                ClientOptions.defaults());
        clients.add(client);
        List<String> got = new CopyOnWriteArrayList<>();
        List<String> disconnects = new CopyOnWriteArrayList<>();
        ClientSocket socket = client.socket("/", Map.of("name", name, "rooms", rooms), s -> {
            s.onAny((event, args) -> got.add(event + ":" + describe(args)));
            s.on("question", (args, reply) -> reply.accept(new Object[] {"answer from " + name}));
            s.onDisconnect(disconnects::add);
        });
        socket.connected().get(5, TimeUnit.SECONDS);
        return new Peer(name, socket, got, disconnects);
    }

    private static String describe(Args args) {
        if (args.isEmpty()) {
            return "";
        }
        Object v = args.get(0);
        return v instanceof byte[] b ? "bytes" + Arrays.toString(b) : String.valueOf(v);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(ParleyClient::close);
        nodes.forEach(ParleyServer::close);
        for (StandaloneServer s : servers) {
            s.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private List<Peer> all() {
        return List.of(a0, a1, b1, ab2, x2);
    }

    /**
     * Every node emits "end" to everyone and every client waits for the three: a node's publishes
     * reach Redis in order on its one connection, so whatever a node broadcast before is in too.
     */
    private void drain() {
        for (ParleyServer node : nodes) {
            node.emit("end", "x");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (Peer p : all()) {
                if (!p.disconnects().isEmpty()) {
                    continue;
                }
                assertThat(p.events("end")).as(p.name()).hasSize(3);
            }
        });
    }

    @Test
    void broadcastsReachEveryMatchingSocketOnEveryNodeOnce() {
        nodes.get(0).to("a").emit("news", "1");
        nodes.get(1).to("a").except("b").emit("news", "2");
        nodes.get(2).emit("news", "3");
        nodes.get(0).to("a", "b").emit("news", "4");
        nodes.get(1).local().emit("news", "5");
        nodes.get(2).asVolatile().to("b").emit("news", "6");
        nodes.get(0).to("b").emit("bin", (Object) new byte[] {1, 2, 3});
        drain();
        // a volatile packet may be dropped by a socket that cannot take it right then (a polling client
        // between two GETs): "6" reaches room b's sockets at most once, never others
        assertThat(a0.events("news")).containsExactlyInAnyOrder("1", "2", "3", "4");
        assertThat(a1.events("news")).containsExactlyInAnyOrder("1", "2", "3", "4", "5");
        assertThat(without6(b1)).containsExactlyInAnyOrder("3", "4", "5");
        assertThat(without6(ab2)).containsExactlyInAnyOrder("1", "3", "4");
        assertThat(b1.events("news").stream().filter("6"::equals).count()).isLessThanOrEqualTo(1);
        assertThat(ab2.events("news").stream().filter("6"::equals).count()).isLessThanOrEqualTo(1);
        assertThat(x2.events("news")).containsExactlyInAnyOrder("3");
        assertThat(b1.events("bin")).containsExactly("bytes[1, 2, 3]");
        assertThat(ab2.events("bin")).containsExactly("bytes[1, 2, 3]");
        assertThat(a0.events("bin")).isEmpty();
    }

    private static List<String> without6(Peer p) {
        return p.events("news").stream().filter(e -> !e.equals("6")).toList();
    }

    @Test
    void aNodeCountsTheServersOfTheCluster() throws Exception {
        for (ParleyServer node : nodes) {
            assertThat(node.serverCount().get(5, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }

    @Test
    void fetchSocketsFromOneNodeSeesEveryNodesSockets() throws Exception {
        List<RemoteSocket> found = nodes.get(0).fetchSockets().get(5, TimeUnit.SECONDS);
        assertThat(found).extracting(RemoteSocket::id).containsExactlyInAnyOrder(
                a0.socket().id(), a1.socket().id(), b1.socket().id(), ab2.socket().id(), x2.socket().id());
        RemoteSocket remote = found.stream().filter(s -> s.id().equals(ab2.socket().id())).findFirst().orElseThrow();
        assertThat(remote.rooms()).containsExactlyInAnyOrder(ab2.socket().id(), "a", "b");
        assertThat(remote.data().getString("name")).isEqualTo("AB2");
        assertThat(remote.data().getInt("node")).isEqualTo(2);
        assertThat(remote.handshake().getJsonObject("auth").getString("name")).isEqualTo("AB2");
        assertThat(remote.handshake().getString("address")).isNotEmpty();

        List<RemoteSocket> inB = nodes.get(1).in("b").except("a").fetchSockets().get(5, TimeUnit.SECONDS);
        assertThat(inB).extracting(RemoteSocket::id).containsExactly(b1.socket().id());
        assertThat(nodes.get(1).in("a").local().fetchSockets().get(5, TimeUnit.SECONDS))
                .extracting(RemoteSocket::id).containsExactly(a1.socket().id());
    }

    @Test
    void aRemoteSocketIsReachedOnItsNode() throws Exception {
        RemoteSocket remote = nodes.get(0).fetchSockets().get(5, TimeUnit.SECONDS).stream()
                .filter(s -> s.id().equals(x2.socket().id())).findFirst().orElseThrow();
        remote.emit("direct", "to you");
        await().atMost(Duration.ofSeconds(5)).until(() -> x2.events("direct").equals(List.of("to you")));

        remote.join("vip");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                nodes.get(1).in("vip").fetchSockets().get(5, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
                .containsExactly(x2.socket().id()));
        nodes.get(1).to("vip").emit("news", "vip");
        // the leave goes out from node 0, the broadcast from node 1: on two connections, in no set order
        await().atMost(Duration.ofSeconds(5)).until(() -> x2.events("news").equals(List.of("vip")));
        remote.leave("vip");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                nodes.get(1).in("vip").fetchSockets().get(5, TimeUnit.SECONDS)).isEmpty());

        remote.disconnect(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !x2.disconnects().isEmpty());
        drain();
        assertThat(x2.events("news")).containsExactly("vip");
        assertThat(x2.events("direct")).containsExactly("to you");
    }

    @Test
    void socketsJoinLeaveAndDisconnectSpanTheNodes() throws Exception {
        nodes.get(0).in("a").socketsJoin("z");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                nodes.get(1).in("z").fetchSockets().get(5, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
                .containsExactlyInAnyOrder(a0.socket().id(), a1.socket().id(), ab2.socket().id()));
        nodes.get(2).in("b").socketsLeave("z");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                nodes.get(0).in("z").fetchSockets().get(5, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
                .containsExactlyInAnyOrder(a0.socket().id(), a1.socket().id()));
        nodes.get(2).in("z").local().socketsJoin("never"); // node 2 has no socket in z any more
        nodes.get(0).in("b").disconnectSockets(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !b1.disconnects().isEmpty() && !ab2.disconnects().isEmpty());
        assertThat(nodes.get(0).fetchSockets().get(5, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
                .containsExactlyInAnyOrder(a0.socket().id(), a1.socket().id(), x2.socket().id());
        assertThat(nodes.get(0).in("never").fetchSockets().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(a0.disconnects()).isEmpty();
        assertThat(x2.disconnects()).isEmpty();
    }

    @Test
    void serverSideEmitReachesTheOtherNodesWithAndWithoutAck() throws Exception {
        nodes.get(0).serverSideEmit("hello", "no ack");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(serverSideEvents)
                .containsExactlyInAnyOrder("1:no ack", "2:no ack"));
        List<Args> answers = nodes.get(1).serverSideEmitWithAck(Duration.ofSeconds(5), "hello", "with ack")
                .get(10, TimeUnit.SECONDS);
        assertThat(answers).extracting(a -> a.getString(0)).containsExactlyInAnyOrder("hi from 0", "hi from 2");
        assertThat(serverSideEvents).containsExactlyInAnyOrder("1:no ack", "2:no ack", "0:with ack", "2:with ack");
    }

    @Test
    void emitWithAckCollectsTheAnswersOfEveryNodesClients() throws Exception {
        List<Args> answers = nodes.get(0).timeout(Duration.ofSeconds(5)).emitWithAck("question")
                .get(10, TimeUnit.SECONDS);
        assertThat(answers).extracting(a -> a.getString(0)).containsExactlyInAnyOrder("answer from A0",
                "answer from A1", "answer from B1", "answer from AB2", "answer from X2");
        List<Args> inB = nodes.get(2).to("b").timeout(Duration.ofSeconds(5)).emitWithAck("question")
                .get(10, TimeUnit.SECONDS);
        assertThat(inB).extracting(a -> a.getString(0)).containsExactlyInAnyOrder("answer from B1", "answer from AB2");
    }

    @Test
    void aNodeThatNeverAnswersMakesARequestFailAtTheRequestTimeout() throws Exception {
        // a frozen node: subscribed to the request channel (so counted), never answering
        RedisClient frozen = RedisClient.create(redis.url());
        try (StatefulRedisPubSubConnection<String, String> sub = frozen.connectPubSub()) {
            sub.sync().subscribe("socket.io-request#/#");
            await().atMost(Duration.ofSeconds(5)).until(() -> nodes.get(0).serverCount().get(2, TimeUnit.SECONDS) == 4);
            long start = System.nanoTime();
            CompletableFuture<List<RemoteSocket>> fetch = nodes.get(0).fetchSockets();
            assertThatThrownBy(() -> fetch.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class)
                    .hasMessage("timeout reached while waiting for fetchSockets response");
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMs).isBetween(REQUEST_TIMEOUT.toMillis() - 50, REQUEST_TIMEOUT.toMillis() + 2000);
        } finally {
            frozen.shutdown();
        }
    }

    @Test
    void redisRestartedTrafficResumesAndNothingArrivesTwice() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            redis.stop();
            // local clients are still served, at once; the publish fails without blocking the broadcast
            long start = System.nanoTime();
            nodes.get(1).emit("news", "during");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(a1.events("news")).containsExactly("during");
                assertThat(b1.events("news")).containsExactly("during");
            });
            nodes.get(0).emit("news", "during-0");
            await().atMost(Duration.ofSeconds(5)).until(() -> a0.events("news").equals(List.of("during-0")));

            redis.restart();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ParleyServer node : nodes) {
                    if (node.serverCount().handle((n, e) -> e == null ? n : -1).get(3, TimeUnit.SECONDS) != 3) {
                        return false;
                    }
                }
                return true;
            });
            nodes.get(2).emit("news", "after");
            drain();
            assertThat(a0.events("news")).containsExactly("during-0", "after");
            assertThat(a1.events("news")).containsExactly("during", "after");
            assertThat(b1.events("news")).containsExactly("during", "after");
            assertThat(ab2.events("news")).containsExactly("after");
            assertThat(x2.events("news")).containsExactly("after");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.records().stream()
                    .filter(r -> r.getLoggerName().equals(OutageLog.class.getName())).map(r -> r.getLevel()).toList())
                    // one outage, one recovery, per node (each node has its own connections)
                    .containsExactlyInAnyOrder(Level.WARNING, Level.WARNING, Level.WARNING,
                            Level.INFO, Level.INFO, Level.INFO));
        }
    }

    @Test
    void malformedMessagesFromRedisAreLoggedOncePerKindAndDropped() throws Exception {
        RedisClient stranger = RedisClient.create(redis.url());
        try (LogCapture log = LogCapture.start();
             var conn = stranger.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
            for (int i = 0; i < 2; i++) {
                for (String channel : List.of("socket.io#/#", "socket.io#/#a#", "socket.io-request#/#",
                        "socket.io-response#/#")) {
                    conn.sync().publish(channel.getBytes(), new byte[] {(byte) 0xc1, 1, 2});
                }
                // well-formed msgpack, not a broadcast; JSON, not a request of any known shape
                conn.sync().publish("socket.io#/#".getBytes(), new byte[] {(byte) 0x93, 1, 2, 3});
                conn.sync().publish("socket.io-request#/#".getBytes(), "{\"type\":\"x\"}".getBytes());
                conn.sync().publish("socket.io-request#/#".getBytes(), "{\"type\":7,\"uid\":\"zz\"}".getBytes());
            }
            nodes.get(0).to("a").emit("news", "still here");
            drain();
            assertThat(a0.events("news")).containsExactly("still here");
            assertThat(ab2.events("news")).containsExactly("still here");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.records().stream()
                    .filter(r -> r.getLoggerName().equals(MalformedLog.class.getName()))
                    .filter(r -> r.getLevel().intValue() > Level.FINE.intValue()).toList())
                    // per node: a broadcast, a request, a request of type 7 (no packet), a response (the
                    // second of each kind at FINE)
                    .hasSize(3 * 4)
                    .allSatisfy(r -> assertThat(r.getLevel()).isEqualTo(Level.WARNING)));
            log.assertNoStackTraces();
        } finally {
            stranger.shutdown();
        }
    }
}
