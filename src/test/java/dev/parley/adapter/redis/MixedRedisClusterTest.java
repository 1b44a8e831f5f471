package dev.parley.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.RemoteSocket;
import dev.parley.standalone.StandaloneServer;
import dev.parley.testing.NodeServerProcess;
import dev.parley.testing.RedisServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mixed cluster (issue 15, item 8): a Parley node and a Node Socket.IO 4.8 server with the official
 * {@code @socket.io/redis-adapter} 8.3 (src/test/node/cluster/redis-node.cjs) on one real
 * redis-server. Broadcasts go both ways (rooms, except, binary), fetchSockets and serverSideEmit
 * (with ack) both ways, emitWithAck reaches the other node's clients, and an
 * {@code @socket.io/redis-emitter} reaches Parley's clients. The Node node is driven through its
 * {@code /admin} namespace. Sockets: PA (Parley, room a), PB (Parley, b), NA (Node, a), NB (Node, b).
 */
class MixedRedisClusterTest {

    private static final File NODE_TESTS = new File(System.getProperty("parley.nodeTests", "src/test/node"));

    private RedisServer redis;
    private ParleyServer parley;
    private StandaloneServer server;
    private NodeServerProcess node;
    private final List<ParleyClient> clients = new ArrayList<>();
    private final List<String> serverSideEvents = new CopyOnWriteArrayList<>();
    private ClientSocket admin;
    private Peer pa;
    private Peer pb;
    private Peer na;
    private Peer nb;

    private record Peer(String name, ClientSocket socket, List<String> got, List<String> disconnects) {
        List<String> events(String event) {
            return got.stream().filter(s -> s.startsWith(event + ":")).map(s -> s.substring(event.length() + 1))
                    .toList();
        }
    }

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        parley = new ParleyServer(ParleyOptions.builder().adapterFactory(new RedisAdapterFactory(
                RedisAdapterOptions.of(redis.url()).withRequestTimeout(Duration.ofSeconds(3)))).build());
        parley.onConnection(socket -> {
            var auth = socket.handshake().auth();
            socket.join(auth.getString("rooms").split(","));
            socket.data().put("name", auth.getString("name"));
        });
        parley.onServerSideEmit("hello", (args, ack) -> {
            serverSideEvents.add(args.getString(0));
            if (ack.requested()) {
                ack.send("hi from parley");
            }
        });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        node = NodeServerProcess.start(NODE_TESTS, "cluster/redis-node.cjs", redis.url());
        await().atMost(Duration.ofSeconds(10)).until(() -> parley.serverCount().get(2, TimeUnit.SECONDS) == 2);
        ParleyClient adminClient = ParleyClient.connect(nodeUri(), ClientOptions.defaults());
        clients.add(adminClient);
        admin = adminClient.socket("/admin", null);
        admin.connected().get(5, TimeUnit.SECONDS);
        pa = connect(parleyUri(), "PA", "a");
        pb = connect(parleyUri(), "PB", "b");
        na = connect(nodeUri(), "NA", "a");
        nb = connect(nodeUri(), "NB", "b");
    }

    private URI parleyUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private URI nodeUri() {
        return URI.create("http://127.0.0.1:" + node.port());
    }

    private Peer connect(URI uri, String name, String rooms) throws Exception {
        ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults());
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

    private Args ask(String event, Object... args) throws Exception {
        return admin.emitWithAck(Duration.ofSeconds(10), event, args).get(15, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(ParleyClient::close);
        if (node != null) {
            node.close();
        }
        if (parley != null) {
            parley.close();
        }
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Both nodes broadcast "end"; each node's earlier broadcasts are in once both ends arrived everywhere. */
    private void drain() throws Exception {
        parley.emit("end", "x");
        ask("broadcast", Map.of("event", "end", "arg", "x"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (Peer p : List.of(pa, pb, na, nb)) {
                assertThat(p.events("end")).as(p.name()).hasSize(2);
            }
        });
    }

    @Test
    void broadcastsGoBothWaysWithRoomsExceptAndBinary() throws Exception {
        parley.to("a").emit("news", "p1");
        parley.except("a").emit("news", "p2");
        parley.to("b").emit("bin", (Object) new byte[] {1, 2, 3});
        ask("broadcast", Map.of("rooms", List.of("a"), "event", "news", "arg", "n1"));
        ask("broadcast", Map.of("except", List.of("a"), "event", "news", "arg", "n2"));
        ask("broadcast", Map.of("rooms", List.of("b"), "event", "bin", "bytes", List.of(4, 5)));
        drain();
        assertThat(pa.events("news")).containsExactlyInAnyOrder("p1", "n1");
        assertThat(na.events("news")).containsExactlyInAnyOrder("p1", "n1");
        assertThat(pb.events("news")).containsExactlyInAnyOrder("p2", "n2");
        assertThat(nb.events("news")).containsExactlyInAnyOrder("p2", "n2");
        assertThat(pb.events("bin")).containsExactlyInAnyOrder("bytes[1, 2, 3]", "bytes[4, 5]");
        assertThat(nb.events("bin")).containsExactlyInAnyOrder("bytes[1, 2, 3]", "bytes[4, 5]");
        assertThat(pa.events("bin")).isEmpty();
        assertThat(na.events("bin")).isEmpty();
    }

    @Test
    void fetchSocketsBothWays() throws Exception {
        List<RemoteSocket> fromParley = parley.fetchSockets().get(10, TimeUnit.SECONDS);
        assertThat(fromParley).extracting(RemoteSocket::id).containsExactlyInAnyOrder(pa.socket().id(),
                pb.socket().id(), na.socket().id(), nb.socket().id());
        RemoteSocket nodeSocket = fromParley.stream().filter(s -> s.id().equals(na.socket().id())).findFirst()
                .orElseThrow();
        assertThat(nodeSocket.rooms()).containsExactlyInAnyOrder(na.socket().id(), "a");
        assertThat(nodeSocket.data().getString("name")).isEqualTo("NA");
        assertThat(nodeSocket.handshake().getJsonObject("auth").getString("name")).isEqualTo("NA");

        JsonArray fromNode = ask("fetch", Map.of("rooms", List.of("b"))).getJsonArray(0);
        assertThat(fromNode.stream().map(v -> v.asJsonObject().getString("id")).toList())
                .containsExactlyInAnyOrder(pb.socket().id(), nb.socket().id());
        JsonObject parleySocket = fromNode.stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getString("id").equals(pb.socket().id())).findFirst().orElseThrow();
        assertThat(parleySocket.getJsonArray("rooms").getValuesAs(JsonString::getString))
                .containsExactlyInAnyOrder(pb.socket().id(), "b");
        assertThat(parleySocket.getJsonObject("data").getString("name")).isEqualTo("PB");
        assertThat(parleySocket.getJsonObject("auth").getString("name")).isEqualTo("PB");
    }

    @Test
    void remoteSocketsOfTheOtherKindAreReached() throws Exception {
        // Parley acting on a Node socket
        RemoteSocket nodeSocket = parley.fetchSockets().get(10, TimeUnit.SECONDS).stream()
                .filter(s -> s.id().equals(nb.socket().id())).findFirst().orElseThrow();
        nodeSocket.emit("direct", "from parley");
        nodeSocket.join("vip");
        await().atMost(Duration.ofSeconds(5)).until(() -> nb.events("direct").equals(List.of("from parley")));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.in("vip").fetchSockets()
                .get(10, TimeUnit.SECONDS)).extracting(RemoteSocket::id).containsExactly(nb.socket().id()));
        // Node acting on a Parley socket
        assertThat(ask("remote", Map.of("id", pa.socket().id(), "action", "emit", "arg", "from node")).getString(0))
                .isEqualTo("ok");
        await().atMost(Duration.ofSeconds(5)).until(() -> pa.events("direct").equals(List.of("from node")));
        ask("remote", Map.of("id", pa.socket().id(), "action", "join", "arg", "vip"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(parley.in("vip").fetchSockets()
                .get(10, TimeUnit.SECONDS)).extracting(RemoteSocket::id)
                .containsExactlyInAnyOrder(nb.socket().id(), pa.socket().id()));
        ask("remote", Map.of("id", pa.socket().id(), "action", "disconnect", "arg", ""));
        await().atMost(Duration.ofSeconds(5)).until(() -> !pa.disconnects().isEmpty());
        nodeSocket.disconnect(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !nb.disconnects().isEmpty());
        assertThat(pb.disconnects()).isEmpty();
        assertThat(na.disconnects()).isEmpty();
    }

    @Test
    void serverSideEmitBothWaysWithAndWithoutAck() throws Exception {
        parley.serverSideEmit("hello", "from parley");
        ask("sse", "from node");
        await().atMost(Duration.ofSeconds(5)).until(() -> serverSideEvents.equals(List.of("from node")));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(ask("events").getJsonArray(0)
                .getValuesAs(JsonString::getString)).containsExactly("from parley"));

        List<Args> answers = parley.serverSideEmitWithAck(Duration.ofSeconds(5), "hello", "parley asks")
                .get(10, TimeUnit.SECONDS);
        assertThat(answers).extracting(a -> a.getString(0)).containsExactly("hi from node");
        JsonArray nodeGot = ask("sseAck", "node asks").getJsonArray(0);
        assertThat(nodeGot.getValuesAs(JsonString::getString)).containsExactly("hi from parley");
        assertThat(serverSideEvents).containsExactly("from node", "node asks");
    }

    @Test
    void emitWithAckCollectsTheOtherNodesClientsAnswers() throws Exception {
        List<Args> fromParley = parley.timeout(Duration.ofSeconds(5)).emitWithAck("question").get(10, TimeUnit.SECONDS);
        assertThat(fromParley).extracting(a -> a.getString(0)).containsExactlyInAnyOrder("answer from PA",
                "answer from PB", "answer from NA", "answer from NB");
        JsonArray fromNode = ask("emitWithAck", Map.of("rooms", List.of("a"))).getJsonArray(0);
        assertThat(fromNode.getValuesAs(JsonString::getString))
                .containsExactlyInAnyOrder("answer from PA", "answer from NA");
    }

    @Test
    void theRedisEmitterReachesParleysClients() throws Exception {
        ask("emitter", Map.of("room", "a", "event", "news", "arg", "emitted"));
        drain();
        assertThat(pa.events("news")).containsExactly("emitted");
        assertThat(na.events("news")).containsExactly("emitted");
        assertThat(pb.events("news")).isEmpty();
        assertThat(ask("count").getInt(0)).isEqualTo(2);
    }
}
