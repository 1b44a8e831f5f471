package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.socketio.Args;
import dev.parley.testing.NodeServerProcess;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parley's Java client against the official Node Socket.IO 4.8 server ({@code src/test/node/interop-server.cjs}):
 * arguments of every kind both ways (binary inside objects too), acks both ways, two namespaces on one connection,
 * auth as a map and as a supplier, a refused auth, catch-all listeners, disconnect reasons on both sides, ack
 * retries. Each scenario runs once per client transport ({@link #transports()}); the server reports the transport
 * it sees, and each scenario checks it.
 */
class ParleyClientNodeServerTest {

    private static final File NODE_TESTS = new File(System.getProperty("parley.nodeTests", "src/test/node"));
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Records travel through JSON-B. */
    public record Order(String item, int quantity) {
    }

    private static NodeServerProcess node;
    private static URI uri;

    @BeforeAll
    static void startNode() throws Exception {
        node = NodeServerProcess.start(NODE_TESTS, "interop-server.cjs");
        uri = URI.create("http://127.0.0.1:" + node.port());
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /**
     * The client's transport modes: WebSocket only, polling only, and the default (polling, then upgraded to a
     * WebSocket once the server offers it).
     */
    static Stream<String> transports() {
        return Stream.of("websocket", "polling", "upgraded");
    }

    private static ClientOptions options(String transport) {
        return switch (transport) {
            case "websocket" -> ClientOptions.defaults().transports(List.of(ClientOptions.WEBSOCKET));
            case "polling" -> ClientOptions.defaults().transports(List.of(ClientOptions.POLLING));
            case "upgraded" -> ClientOptions.defaults();
            default -> throw new IllegalArgumentException("no transport mode " + transport);
        };
    }

    private static JsonObject whoami(ClientSocket socket) throws Exception {
        return socket.emitWithAck(WAIT, "whoami").get(10, TimeUnit.SECONDS).getJsonObject(0);
    }

    private static ClientSocket connected(ClientSocket socket, String transport) throws Exception {
        socket.connected().get(10, TimeUnit.SECONDS);
        if (transport.equals("upgraded")) {
            // the server names the transport the session is on now: the upgrade follows the handshake
            await().atMost(WAIT).untilAsserted(() -> assertThat(whoami(socket).getString("transport"))
                    .isEqualTo("websocket"));
        } else {
            assertThat(whoami(socket).getString("transport")).isEqualTo(transport);
        }
        return socket;
    }

    @ParameterizedTest
    @MethodSource("transports")
    void argumentsOfEveryKindTravelBothWays(String transport) throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, options(transport))) {
            ClientSocket socket = connected(client.socket("/", Map.of("token", "good")), transport);
            Object[] values = {"text", 42, 1.5, Map.of("k", List.of(true, "v")), new Order("tea", 2),
                new byte[] {1, 2}, Map.of("name", "n", "bin", new byte[] {3})};

            // as the server sees them
            Args described = socket.emitWithAck(WAIT, "describe", values).get(10, TimeUnit.SECONDS);
            assertThat(described.getJsonArray(0).getValuesAs(JsonString::getString)).containsExactly(
                    "string:text", "number:42", "number:1.5", "{k:[boolean:true,string:v]}",
                    "{item:string:tea,quantity:number:2}", "buffer:1,2", "{bin:buffer:3,name:string:n}");

            // and back, as the client reads them
            CompletableFuture<Args> echoed = new CompletableFuture<>();
            socket.once("echo", (args, reply) -> echoed.complete(args));
            socket.emit("echo", values);
            Args back = echoed.get(10, TimeUnit.SECONDS);
            assertThat(back.getString(0)).isEqualTo("text");
            assertThat(back.getLong(1)).isEqualTo(42);
            assertThat(back.getDouble(2)).isEqualTo(1.5);
            assertThat(back.getJsonObject(3).toString()).isEqualTo("{\"k\":[true,\"v\"]}");
            assertThat(back.get(4, Order.class)).isEqualTo(new Order("tea", 2));
            assertThat(back.getBytes(5)).containsExactly(1, 2);
            Map<?, ?> withBinary = back.get(6, Map.class);
            assertThat(withBinary.get("name")).isEqualTo("n");
            assertThat((byte[]) withBinary.get("bin")).containsExactly(3);

            // binary the server makes itself: a Buffer alone and one inside an object
            CompletableFuture<Args> binary = new CompletableFuture<>();
            socket.once("binary", (args, reply) -> binary.complete(args));
            socket.emit("binary");
            Args b = binary.get(10, TimeUnit.SECONDS);
            assertThat(b.getBytes(0)).containsExactly(1, 2, 3);
            Map<?, ?> nested = b.get(1, Map.class);
            assertThat(nested.get("name")).isEqualTo("nested");
            assertThat((byte[]) nested.get("data")).containsExactly(4, 5);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void acknowledgementsTravelBothWays(String transport) throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, options(transport))) {
            ClientSocket socket = connected(client.socket("/", null, s -> s.on("question", (args, reply) ->
                    reply.accept(new Object[] {"answer to " + args.getString(0) + " with " + args.getBytes(1).length
                            + " byte"}))), transport);
            Args acked = socket.emitWithAck(WAIT, "ack", "x", 7, new byte[] {5}).get(10, TimeUnit.SECONDS);
            assertThat(acked.getString(0)).isEqualTo("x");
            assertThat(acked.getInt(1)).isEqualTo(7);
            assertThat(acked.getBytes(2)).containsExactly(5);
            // the server's emitWithAck to the client, answered by the client's listener
            assertThat(socket.emitWithAck(WAIT, "ask", "life").get(10, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("answer to life with 1 byte");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void twoNamespacesShareOneConnection(String transport) throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, options(transport))) {
            CompletableFuture<String> welcome = new CompletableFuture<>();
            ClientSocket root = connected(client.socket("/", Map.of("token", "good")), transport);
            ClientSocket second = connected(client.socket("/second", null,
                    s -> s.once("welcome", (args, reply) -> welcome.complete(args.getString(0)))), transport);
            assertThat(welcome.get(10, TimeUnit.SECONDS)).isEqualTo("/second");
            JsonObject r = whoami(root);
            JsonObject s = whoami(second);
            assertThat(r.getString("nsp")).isEqualTo("/");
            assertThat(s.getString("nsp")).isEqualTo("/second");
            assertThat(r.getString("engine")).as("one Engine.IO session").isEqualTo(s.getString("engine"))
                    .isEqualTo(client.sessionId());
            assertThat(r.getString("id")).isEqualTo(root.id()).isNotEqualTo(s.getString("id"));
            assertThat(s.getString("id")).isEqualTo(second.id());
            assertThat(root.emitWithAck(WAIT, "ack", "on root").get(10, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("on root");
            assertThat(second.emitWithAck(WAIT, "ack", "on second").get(10, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("on second");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void authAsAMapAndAsASupplierReachesTheMiddleware(String transport) throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, options(transport))) {
            ClientSocket socket = connected(client.socket("/", Map.of("token", "good", "n", 1)), transport);
            JsonObject auth = whoami(socket).getJsonObject("auth");
            assertThat(auth.keySet()).containsExactlyInAnyOrder("token", "n");
            assertThat(auth.getString("token")).isEqualTo("good");
            assertThat(auth.getInt("n")).isEqualTo(1);
        }
        AtomicInteger asked = new AtomicInteger();
        try (ParleyClient client = ParleyClient.connect(uri, options(transport))) {
            ClientSocket socket = connected(client.socketWithAuth("/", () -> Map.of("token", "t" + asked
                    .incrementAndGet()), s -> { }), transport);
            assertThat(whoami(socket).getJsonObject("auth").getString("token")).isEqualTo("t1");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aRefusedAuthIsAConnectErrorWithTheServersMessageAndData(String transport) throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(uri, options(transport))) {
            List<CompletableFuture<Args>> early = new CopyOnWriteArrayList<>();
            ClientSocket socket = client.socket("/", Map.of("token", "bad"), s -> {
                s.onConnectError(errors::add);
                // emitted before the CONNECT leaves, with no ack timeout at all: the refusal must fail it
                early.add(s.emitWithAck("ack", 1));
            });
            assertThatThrownBy(() -> socket.connected().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ConnectErrorException.class).hasMessage("refused")
                    .satisfies(e -> assertThat(((ConnectErrorException) e).data().toString())
                            .isEqualTo("{\"code\":401,\"reason\":\"bad token\"}"));
            await().atMost(WAIT).until(() -> errors.size() == 1);
            assertThat(errors.get(0)).isInstanceOf(ConnectErrorException.class).hasMessage("refused");
            assertThat(socket.isActive()).isFalse();
            assertThatThrownBy(() -> early.get(0).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().hasMessageContaining("refused");
            // the connection itself stays for other namespaces
            connected(client.socket("/second", null), transport);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void catchAllListenersSeeTheServersEventsInOrder(String transport) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        List<String> outgoing = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(uri, options(transport))) {
            ClientSocket socket = connected(client.socket("/", null, s -> s
                    .onAny((event, args) -> seen.add(event + "/" + args.size()))
                    .onAnyOutgoing((event, args) -> outgoing.add(event))
                    .on("b", (args, reply) -> seen.add("b:" + args.getString(0) + args.getJsonObject(1)))), transport);
            socket.emit("several");
            await().atMost(WAIT).until(() -> seen.size() == 4);
            assertThat(seen).containsExactly("a/1", "b/2", "b:two{\"three\":3}", "c/0");
            assertThat(outgoing).containsExactly("whoami", "several");
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aServerSideDisconnectIsFinalForThatNamespaceOnly(String transport) throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, options(transport))) {
            CompletableFuture<String> reason = new CompletableFuture<>();
            ClientSocket root = connected(client.socket("/", null, s -> s.onDisconnect(reason::complete)), transport);
            ClientSocket second = connected(client.socket("/second", null), transport);
            long connectsBefore = second.emitWithAck(WAIT, "rootConnects").get(10, TimeUnit.SECONDS).getLong(0);
            root.emit("kick");
            assertThat(reason.get(10, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
            assertThat(root.isActive()).isFalse();
            assertThatThrownBy(() -> root.emit("ack", 1)).isInstanceOf(IllegalStateException.class);
            // the other namespace and the connection are untouched, and "/" did not come back
            assertThat(client.isOpen()).isTrue();
            assertThat(second.isConnected()).isTrue();
            Args after = second.emitWithAck(WAIT, "rootConnects").get(10, TimeUnit.SECONDS);
            assertThat(after.getLong(0)).isEqualTo(connectsBefore);
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aClientSideDisconnectIsSeenByTheServerAsSuch(String transport) throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, options(transport))) {
            CompletableFuture<String> reason = new CompletableFuture<>();
            ClientSocket root = connected(client.socket("/", null, s -> s.onDisconnect(reason::complete)), transport);
            ClientSocket second = connected(client.socket("/second", null), transport);
            String rootId = root.id();
            root.disconnect();
            assertThat(reason.get(10, TimeUnit.SECONDS)).isEqualTo("io client disconnect");
            await().atMost(WAIT).until(() -> "client namespace disconnect".equals(
                    second.emitWithAck(WAIT, "reasonOf", rootId).get(10, TimeUnit.SECONDS).get(0)));
            assertThat(second.isConnected()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void ackRetriesResendWhatTheServerIgnored(String transport) throws Exception {
        String key = UUID.randomUUID().toString();
        List<String> written = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(uri, options(transport).retries(3).ackTimeout(300))) {
            ClientSocket socket = connected(client.socket("/", null), transport);
            socket.onAnyOutgoing((event, args) -> written.add(event));
            Args acked = socket.emitWithAck("flaky", key).get(10, TimeUnit.SECONDS);
            assertThat(acked.getString(0)).isEqualTo("got " + key);
            assertThat(acked.getInt(1)).as("deliveries counted by the server").isEqualTo(2);
            assertThat(written).containsExactly("flaky", "flaky");
        }
    }
}
