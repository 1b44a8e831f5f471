package dev.parley.adapter.redis;

import static org.awaitility.Awaitility.await;

import dev.parley.adapter.AdapterFactory;
import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import jakarta.json.JsonString;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Parley nodes of one cluster in this JVM (a {@link ParleyServer} with a Redis adapter behind a
 * {@link StandaloneServer} on a free port each) and Java clients connected to them, all closed by
 * {@link #close()}. A client joins the rooms named in its auth ({@code {"rooms": "a,b"}}) and records
 * every event it receives.
 */
final class InJvmNodes implements AutoCloseable {

    /** One node. */
    record Node(ParleyServer parley, StandaloneServer http) {
        int port() {
            return http.port();
        }
    }

    /** One client socket and what it received: "event:firstArg". */
    record Client(ParleyClient client, ClientSocket socket, Queue<String> received) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private final List<ParleyClient> clients = new ArrayList<>();
    // Sockets whose connection handler has run: the CONNECT reply goes out before it (as from the
    // reference server), so a client can be connected before its rooms are joined, and in the
    // sharded adapter's dynamic mode before this node subscribes to the rooms' channels.
    private final Set<String> joined = ConcurrentHashMap.newKeySet();

    Node start(Supplier<AdapterFactory> factory, long recoveryMillis) throws Exception {
        return start(factory, recoveryMillis, 0);
    }

    /** A node on {@code port} (0: any free port). */
    Node start(Supplier<AdapterFactory> factory, long recoveryMillis, int port) throws Exception {
        ParleyServer parley = new ParleyServer(ParleyOptions.builder().adapterFactory(factory.get())
                .recoveryMaxDisconnection(recoveryMillis).build());
        parley.onConnection(socket -> {
            if (socket.handshake().auth().get("rooms") instanceof JsonString rooms && !rooms.getString().isEmpty()) {
                socket.join(rooms.getString().split(","));
            }
            joined.add(socket.id());
        });
        StandaloneServer http = StandaloneServer.start("127.0.0.1", port,
                List.of(new StandaloneServer.Mount(parley.engine(), false)), false);
        Node node = new Node(parley, http);
        nodes.add(node);
        return node;
    }

    /** A client of one of these nodes, returned once connected and in its rooms. */
    Client connect(Node node, String rooms) throws Exception {
        Client client = connect(node.port(), rooms);
        await().atMost(Duration.ofSeconds(10)).until(() -> joined.contains(client.socket().id()));
        return client;
    }

    /** A client of the server on {@code port} (a Node.js node, say), returned once connected. */
    Client connect(int port, String rooms) throws Exception {
        ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + port),
                ClientOptions.defaults().reconnectionDelay(50).reconnectionDelayMax(200).connectTimeout(2000));
        clients.add(client);
        Queue<String> received = new ConcurrentLinkedQueue<>();
        ClientSocket socket = client.socket("/", Map.of("rooms", rooms));
        socket.onAny((event, args) -> received.add(event + ":" + (args.isEmpty() ? "" : args.get(0))));
        socket.connected().get(10, TimeUnit.SECONDS);
        return new Client(client, socket, received);
    }

    /**
     * Stops a node as its shutdown does: the server first (every socket leaves as "server shutting
     * down", its session stored, then the adapters, the factory and the engine close: the clients
     * lose their connections), then its web server. The other order races: a socket that a closing
     * connection ends on a web server's thread may store its session after the factory is closed.
     */
    void stop(Node node) {
        nodes.remove(node);
        node.parley().close();
        node.http().close();
    }

    static Map<String, Integer> counts(Queue<String> received) {
        Map<String, Integer> out = new ConcurrentHashMap<>();
        for (String r : received) {
            out.merge(r, 1, Integer::sum);
        }
        return out;
    }

    @Override
    public void close() {
        for (ParleyClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException e) {
                // the next one still gets closed
            }
        }
        for (Node n : List.copyOf(nodes)) {
            try {
                stop(n);
            } catch (RuntimeException e) {
                // the next one still gets closed
            }
        }
    }
}
