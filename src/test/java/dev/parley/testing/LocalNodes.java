package dev.parley.testing;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Parley nodes in this JVM for a test: each a {@link ParleyServer} served by the standalone HTTP/WebSocket
 * server on a free port of 127.0.0.1, optionally all on one real {@code redis-server}; and the Java
 * clients the test connects to them. {@link #close()} closes the clients, then the nodes in reverse order
 * (Parley first, so its sockets leave before the listener goes), then Redis.
 */
public final class LocalNodes implements AutoCloseable {

    /** One node: its Parley server and the HTTP server in front of it. */
    public record Node(ParleyServer parley, StandaloneServer http) {
        public int port() {
            return http.port();
        }

        /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
        public URI uri(String path) {
            return URI.create("http://127.0.0.1:" + http.port() + path);
        }
    }

    private final RedisServer redis;
    private final List<Node> nodes = new ArrayList<>();
    private final List<ParleyClient> clients = new ArrayList<>();

    private LocalNodes(RedisServer redis) {
        this.redis = redis;
    }

    /** Nodes without Redis: each on its own (the in-memory adapter), or just one. */
    public static LocalNodes withoutRedis() {
        return new LocalNodes(null);
    }

    /** Nodes sharing a redis-server started now (see {@link RedisServer#start()} for what it needs). */
    public static LocalNodes withRedis() throws Exception {
        return new LocalNodes(RedisServer.start());
    }

    /** The shared Redis; only for nodes made {@link #withRedis()}. */
    public RedisServer redis() {
        if (redis == null) {
            throw new IllegalStateException("these nodes were made without Redis");
        }
        return redis;
    }

    /** Serves {@code parley} (its Engine.IO path, no demo pages) on a free port. */
    public Node serve(ParleyServer parley) throws Exception {
        return serve(parley, List.of());
    }

    /** Serves {@code parley} (its Engine.IO path, no demo pages) plus {@code pages} on a free port. */
    public Node serve(ParleyServer parley, List<StandaloneServer.Page> pages) throws Exception {
        StandaloneServer http;
        try {
            http = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                    false, pages);
        } catch (Exception e) {
            parley.close();
            throw e;
        }
        Node node = new Node(parley, http);
        nodes.add(node);
        return node;
    }

    /**
     * A Java client on {@code node} over WebSocket only, without reconnection (a test sees a drop as it
     * happens), and its socket for {@code namespace}, not awaited: the test registers handlers first.
     */
    public ClientSocket connect(Node node, String namespace) throws Exception {
        ParleyClient client = ParleyClient.connect(node.uri(""),
                ClientOptions.defaults().transports(List.of("websocket")).reconnection(false));
        clients.add(client);
        return client.socket(namespace, null);
    }

    @Override
    public void close() throws InterruptedException {
        clients.forEach(ParleyClient::close);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).parley().close();
            nodes.get(i).http().close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
