package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.socketio.Args;
import dev.parley.standalone.StandaloneServer;
import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records and JavaBeans as event arguments, end to end: a real standalone Parley and the Java client
 * over a real WebSocket. The server sends them with {@code emit}, a room broadcast and
 * {@code emitWithAck}; the client sends them with {@code emit} and {@code emitWithAck}; both sides read
 * them back with {@code args.get(i, type)}.
 */
class PojoPayloadTest {

    public record Item(String sku, int quantity) {
    }

    public record Order(String id, List<Item> items) {
    }

    public record Review(String orderId, int stars) {
    }

    public record Receipt(int orders, int items) {
    }

    /** A bean that counts how often JSON-B reads it. */
    public static class Counted {
        static final AtomicInteger READS = new AtomicInteger();

        public String getName() {
            READS.incrementAndGet();
            return "counted";
        }
    }

    /** JSON-B cannot serialize it. */
    public static class Broken {
        public String getValue() {
            throw new IllegalStateException("no value today");
        }
    }

    private static final Order ORDER = new Order("A1", List.of(new Item("pen", 2), new Item("ink", 1)));

    /** {@code List<Order>}, as a field's generic type gives it. */
    @SuppressWarnings("unused")
    private static List<Order> orderList;

    private static ParleyServer parley;
    private static StandaloneServer server;
    private static URI uri;
    private static final Map<String, Socket> serverSockets = new ConcurrentHashMap<>();
    private static final Map<String, CompletableFuture<Order>> placed = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder().build());
        Type listOfOrders = PojoPayloadTest.class.getDeclaredField("orderList").getGenericType();
        parley.onConnection(socket -> {
            serverSockets.put(socket.id(), socket);
            // (tag, order): the server binds the order and hands it to the test under the tag
            socket.on("place", (args, ack) -> placed.computeIfAbsent(args.getString(0), k -> new CompletableFuture<>())
                    .complete(args.get(1, Order.class)));
            // (orders): acked with a Receipt counting them
            socket.on("place-all", (args, ack) -> {
                List<Order> orders = args.get(0, listOfOrders);
                ack.send(new Receipt(orders.size(), orders.stream().mapToInt(o -> o.items().size()).sum()));
            });
            // acks with an object JSON-B cannot serialize, then (that failed) with the failure's message
            socket.on("ack-broken", (args, ack) -> {
                try {
                    ack.send(new Broken());
                } catch (IllegalArgumentException e) {
                    ack.send("second try", e.getMessage());
                }
            });
            socket.emit("ready"); // the CONNECT went out before this handler ran: now the socket is set up
        });
        parley.of("/orders").onConnection(socket -> {
            socket.join("room");
            socket.emit("ready");
        });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        uri = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    /** Joins {@code nsp} with {@code listeners} and returns once the server's connection handler has run. */
    private static ClientSocket join(ParleyClient client, String nsp, Consumer<ClientSocket> listeners)
            throws Exception {
        CompletableFuture<Args> ready = new CompletableFuture<>();
        ClientSocket socket = client.socket(nsp, null, s -> {
            s.on("ready", (args, reply) -> ready.complete(args));
            listeners.accept(s);
        });
        ready.get(5, TimeUnit.SECONDS);
        return socket;
    }

    @Test
    void socketEmitSendsARecordAsAJsonObject() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            CompletableFuture<Args> got = new CompletableFuture<>();
            ClientSocket socket = join(client, "/", s -> s.on("order", (args, reply) -> got.complete(args)));
            Socket onServer = serverSockets.get(socket.id());
            onServer.emit("order", ORDER, Map.of("also", new Item("cap", 3)));
            Args args = got.get(5, TimeUnit.SECONDS);
            assertThat(args.getJsonObject(0).toString())
                    .isEqualTo("{\"id\":\"A1\",\"items\":[{\"quantity\":2,\"sku\":\"pen\"},{\"quantity\":1,\"sku\":\"ink\"}]}");
            assertThat(args.get(0, Order.class)).isEqualTo(ORDER);
            assertThat(args.getJsonObject(1).getJsonObject("also").getInt("quantity")).isEqualTo(3);
        }
    }

    @Test
    void aRoomBroadcastSerializesTheObjectOnceForAllRecipients() throws Exception {
        try (ParleyClient a = ParleyClient.connect(uri, ClientOptions.defaults());
                ParleyClient b = ParleyClient.connect(uri, ClientOptions.defaults())) {
            CompletableFuture<Args> gotA = new CompletableFuture<>();
            CompletableFuture<Args> gotB = new CompletableFuture<>();
            join(a, "/orders", s -> s.on("created", (args, reply) -> gotA.complete(args)));
            join(b, "/orders", s -> s.on("created", (args, reply) -> gotB.complete(args)));
            int readsBefore = Counted.READS.get();

            parley.of("/orders").to("room").emit("created", ORDER, new Counted());

            for (Args args : List.of(gotA.get(5, TimeUnit.SECONDS), gotB.get(5, TimeUnit.SECONDS))) {
                assertThat(args.get(0, Order.class)).isEqualTo(ORDER);
                assertThat(args.getJsonObject(1).getString("name")).isEqualTo("counted");
            }
            assertThat(Counted.READS.get() - readsBefore).isEqualTo(1);
        }
    }

    @Test
    void emitWithAckSendsARecordAndTheClientsAckReplyIsBoundOnTheServer() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket socket = join(client, "/", s -> s.on("review", (args, reply) -> {
                Order order = args.get(0, Order.class);
                reply.accept(new Object[] {new Review(order.id(), order.items().size() + 3)});
            }));
            Socket onServer = serverSockets.get(socket.id());
            Args reply = onServer.emitWithAck(Duration.ofSeconds(5), "review", ORDER).get(5, TimeUnit.SECONDS);
            assertThat(reply.get(0, Review.class)).isEqualTo(new Review("A1", 5));
        }
    }

    @Test
    void theJavaClientSendsRecordsThatTheServerBinds() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket socket = join(client, "/", s -> { });
            String tag = "t-" + System.nanoTime();
            socket.emit("place", tag, ORDER);
            assertThat(placed.computeIfAbsent(tag, k -> new CompletableFuture<>()).get(5, TimeUnit.SECONDS))
                    .isEqualTo(ORDER);

            Args ack = socket.emitWithAck(Duration.ofSeconds(5), "place-all", List.of(ORDER, ORDER))
                    .get(5, TimeUnit.SECONDS);
            assertThat(ack.get(0, Receipt.class)).isEqualTo(new Receipt(2, 4));
        }
    }

    @Test
    void anObjectJsonbCannotSerializeFailsTheEmitOrAckAndTheSocketCarriesOn() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            CompletableFuture<Args> got = new CompletableFuture<>();
            ClientSocket socket = join(client, "/", s -> s.on("after", (args, reply) -> got.complete(args)));
            Socket onServer = serverSockets.get(socket.id());
            assertThatThrownBy(() -> onServer.emit("broken", new Broken()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot send a " + Broken.class.getName())
                    .hasMessageContaining("no value today");
            assertThatThrownBy(() -> onServer.emitWithAck(Duration.ofSeconds(5), "broken", List.of(new Broken())))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> socket.emit("broken", Map.of("b", new Broken())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Broken.class.getName());
            onServer.emit("after", new Item("x", 1));
            assertThat(got.get(5, TimeUnit.SECONDS).get(0, Item.class)).isEqualTo(new Item("x", 1));

            Args ack = socket.emitWithAck(Duration.ofSeconds(5), "ack-broken").get(5, TimeUnit.SECONDS);
            assertThat(ack.getString(0)).isEqualTo("second try");
            assertThat(ack.getString(1)).contains("no value today");
        }
    }
}
