package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.redis.RedisAdapterFactory;
import dev.parley.adapter.redis.RedisAdapterOptions;
import dev.parley.client.ClientSocket;
import dev.parley.server.AdminUiOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.LocalNodes;
import dev.parley.testing.LocalNodes.Node;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Admin UI's protocol across a cluster: two Parley nodes on one real {@code redis-server} (the Redis
 * pub/sub adapter), each with the Admin UI named by {@code admin-ui-server-id}. An admin socket connected
 * to node A (as the UI connects to one node) gets {@code server_stats} from both nodes, lists in
 * {@code all_sockets} a socket connected to node B with its room, hears node B's {@code socket_connected}
 * and its {@code socket_updated} when the application changes the socket's data, and its {@code _disconnect}
 * command disconnects that socket on node B.
 */
class AdminUiClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private LocalNodes cluster;

    @BeforeEach
    void startRedis() throws Exception {
        cluster = LocalNodes.withRedis();
    }

    @AfterEach
    void stopAll() throws Exception {
        cluster.close();
    }

    /** A node with the Admin UI (auth none, development mode) named {@code serverId}. */
    private Node node(String serverId) throws Exception {
        ParleyServer parley = new ParleyServer(ParleyOptions.builder()
                .adapterFactory(new RedisAdapterFactory(RedisAdapterOptions.of(cluster.redis().url())
                        .withRequestTimeout(Duration.ofSeconds(5))))
                .adminUi(new AdminUiOptions(true, "none", null, null, false, false, "/admin-ui/", serverId))
                .build());
        AdminUi.install(parley);
        parley.onConnection(socket -> {
            socket.join("cluster-room");
            socket.on("nick", (args, ack) -> {
                socket.data().put("nick", args.getString(0));
                ack.send();
            });
        });
        Node node = cluster.serve(parley);
        await().atMost(WAIT).until(() -> parley.serverCount().get(5, TimeUnit.SECONDS) >= 1);
        return node;
    }

    private ClientSocket connect(Node node, String namespace) throws Exception {
        return cluster.connect(node, namespace);
    }

    @Test
    void theUiConnectedToOneNodeSeesAndCommandsEveryNode() throws Exception {
        Node a = node("node-a");
        Node b = node("node-b");

        ClientSocket admin = connect(a, "/admin");
        Set<String> statsFrom = ConcurrentHashMap.newKeySet();
        List<String> connectedEvents = new CopyOnWriteArrayList<>();
        List<JsonObject> updates = new CopyOnWriteArrayList<>();
        admin.on("socket_updated", (args, reply) -> updates.add(args.getJsonObject(0)));
        CompletableFuture<JsonArray> allSockets = new CompletableFuture<>();
        admin.on("server_stats", (args, reply) -> statsFrom.add(args.getJsonObject(0).getString("serverId")));
        admin.on("socket_connected", (args, reply) -> connectedEvents.add(args.getJsonObject(0).getString("id")));
        admin.connected().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> statsFrom.containsAll(List.of("node-a", "node-b")));

        // A socket on node B, after the admin socket: its connection is told to the UI on node A.
        ClientSocket user = connect(b, "/");
        CompletableFuture<String> userDisconnect = new CompletableFuture<>();
        user.onDisconnect(userDisconnect::complete);
        String userId = user.connected().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> connectedEvents.contains(userId));

        // The application changes the socket's data on node B: socket_updated with the data reaches node A.
        user.emitWithAck("nick", "zed").get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> updates.stream().anyMatch(u -> u.getString("id").equals(userId)
                && u.getString("nsp").equals("/") && u.containsKey("data")
                && "zed".equals(u.getJsonObject("data").getString("nick", null))));

        // A second admin socket on node A lists the sockets of both nodes (as the UI does when it connects).
        ClientSocket lister = connect(a, "/admin");
        lister.on("all_sockets", (args, reply) -> allSockets.complete(args.getJsonArray(0)));
        lister.connected().get(10, TimeUnit.SECONDS);
        Map<String, JsonObject> listed = new ConcurrentHashMap<>();
        for (JsonValue v : allSockets.get(10, TimeUnit.SECONDS)) {
            listed.put(v.asJsonObject().getString("id"), v.asJsonObject());
        }
        assertThat(listed).as("all_sockets from node A").containsKey(userId);
        JsonObject described = listed.get(userId);
        assertThat(described.getString("nsp")).isEqualTo("/");
        assertThat(described.getJsonArray("rooms").getValuesAs(JsonString::getString))
                .contains(userId, "cluster-room");
        assertThat(listed.keySet()).as("the admin sockets of node A are listed too").contains(admin.id());

        // The UI's disconnect button: _disconnect(nsp, close, filter) with the socket's id as the filter.
        admin.emit("_disconnect", "/", false, userId);
        assertThat(userDisconnect.get(10, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
    }
}
