package dev.parley.jakarta;

import dev.parley.auth.Identity;
import jakarta.annotation.security.RolesAllowed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ConnectErrorException;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.Ack;
import dev.parley.server.ConnectError;
import dev.parley.server.DisconnectReason;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import dev.parley.standalone.StandaloneServer;
import dev.parley.testing.LogCapture;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Annotated namespaces: signature checks at registration, and binding exercised by a real client. */
class AnnotatedNamespaceTest {

    /** A POJO bound through JSON-B. */
    public static class Order {
        public String item;
        public int quantity;
    }

    /** A POJO returned through JSON-B. */
    public static class Receipt {
        public String item;
        public int total;
    }

    @SocketNamespace("/shop")
    public static class Shop {
        @OnConnecting
        public void check(JsonObject auth) throws ConnectError {
            if (!"customer".equals(auth.getString("role", ""))) {
                throw new ConnectError("customers only", Map.of("code", 403));
            }
        }

        @OnConnect
        public void hello(Socket socket) {
            socket.emit("hello", socket.handshake().auth().getString("role"));
        }

        @OnEvent("add")
        public long add(long a, long b) {
            return a + b;
        }

        @OnEvent("order")
        public Receipt order(Order order) {
            Receipt r = new Receipt();
            r.item = order.item;
            r.total = order.quantity * 3;
            return r;
        }

        @OnEvent("size")
        public void size(byte[] data, JsonObject meta, Ack ack) {
            ack.send(data.length, meta.getString("name"));
        }

        @OnEvent("count")
        public int count(Args args) {
            return args.size();
        }

        @OnEvent("double")
        public int twice(int n) {
            return 2 * n;
        }

        @OnEvent("boom")
        public void boom(String why) {
            throw new IllegalStateException(why);
        }

        @OnError
        public void failed(Socket socket, Exception e) {
            socket.emit("failed", e.getMessage());
        }

        /** Null for failures of another type (OnError's contract): only bad arguments are reported here. */
        @OnError
        public void badArgument(Socket socket, EventArgumentException e) {
            if (e != null) {
                socket.emit("bad-argument", e.event(), e.argument(), e.parameterType().getTypeName(), e.reason());
            }
        }

        @OnDisconnect
        public void gone(Socket socket, DisconnectReason reason) {
            socket.namespace().emit("gone", reason.wire());
        }
    }

    @SocketNamespace(pattern = "/team-\\d+")
    public static class Teams {
        @OnEvent("where")
        public String where(Socket socket) {
            return socket.namespace().name();
        }
    }

    @SocketNamespace("/ops")
    @RolesAllowed("ops")
    public static class Ops {
        @OnEvent("status")
        public String status() {
            return "green";
        }

        @OnEvent("purge")
        @RolesAllowed("admin")
        public String purge() {
            return "purged";
        }
    }

    private static ParleyServer parley;
    private static StandaloneServer server;
    private static URI uri;

    @BeforeAll
    static void start() throws Exception {
        // The auth payload's "user" and "roles" become the socket's identity (none without "user").
        parley = new ParleyServer(ParleyOptions.builder().connectAuthenticator(request -> {
            JsonObject auth = request.authPayload();
            if (auth == null || !auth.containsKey("user")) {
                return null;
            }
            return Identity.of(auth.getString("user"), auth.getString("roles", "").split(","));
        }).build());
        for (Class<?> c : List.of(Shop.class, Teams.class, Ops.class)) {
            AnnotatedNamespace.of(c).register(parley, NamespaceInstances.constructed(c));
        }
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        uri = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    private static Args ask(ClientSocket s, String event, Object... args) throws Exception {
        return s.emitWithAck(Duration.ofSeconds(5), event, args).get(5, TimeUnit.SECONDS);
    }

    @Test
    void bindsArgumentsByTypeAndAcknowledgesWithTheReturnValue() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            CompletableFuture<Args> hello = new CompletableFuture<>();
            // Listening before the CONNECT goes out: "hello" is emitted as soon as the socket joins.
            ClientSocket shop = client.socket("/shop", Map.of("role", "customer"),
                    s -> s.on("hello", (args, reply) -> hello.complete(args)));
            shop.connected().get(5, TimeUnit.SECONDS);
            assertThat(hello.get(5, TimeUnit.SECONDS).getString(0)).isEqualTo("customer");

            assertThat(ask(shop, "add", 2, 40).getLong(0)).isEqualTo(42);
            assertThat(ask(shop, "order", Map.of("item", "tea", "quantity", 5)).getJsonObject(0).toString())
                    .isEqualTo("{\"item\":\"tea\",\"total\":15}");
            Args size = ask(shop, "size", new byte[] {1, 2, 3}, Map.of("name", "blob"));
            assertThat(size.getInt(0)).isEqualTo(3);
            assertThat(size.getString(1)).isEqualTo("blob");
            assertThat(ask(shop, "count", 1, 2, 3, 4).getInt(0)).isEqualTo(4);
        }
    }

    @Test
    void aValueThatDoesNotFitGoesToOnError() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket shop = client.socket("/shop", Map.of("role", "customer"));
            shop.connected().get(5, TimeUnit.SECONDS);
            CompletableFuture<Args> failed = new CompletableFuture<>();
            shop.on("failed", (args, reply) -> failed.complete(args));
            shop.emit("add", "two", 40);
            assertThat(failed.get(5, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("argument 1 of event \"add\" is not a long: got the string \"two\"");
            assertThat(ask(shop, "add", 1, 1).getLong(0)).isEqualTo(2); // the socket lives on
        }
    }

    @Test
    void onConnectingRefusesWithTheConnectErrorsMessageAndData() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket shop = client.socket("/shop", Map.of("role", "thief"));
            assertThatThrownBy(() -> shop.connected().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ConnectErrorException.class).hasMessage("customers only")
                    .satisfies(e -> assertThat(((ConnectErrorException) e).data().toString()).isEqualTo("{\"code\":403}"));
        }
    }

    @Test
    void onDisconnectGetsTheReason() throws Exception {
        try (ParleyClient watcher = ParleyClient.connect(uri, ClientOptions.defaults());
             ParleyClient leaver = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket w = watcher.socket("/shop", Map.of("role", "customer"));
            w.connected().get(5, TimeUnit.SECONDS);
            CompletableFuture<Args> gone = new CompletableFuture<>();
            w.on("gone", (args, reply) -> gone.complete(args));
            ClientSocket l = leaver.socket("/shop", Map.of("role", "customer"));
            l.connected().get(5, TimeUnit.SECONDS);
            l.disconnect();
            assertThat(gone.get(5, TimeUnit.SECONDS).getString(0)).isEqualTo("client namespace disconnect");
        }
    }

    @Test
    void patternsServeDynamicNamespaces() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket team = client.socket("/team-7", null);
            team.connected().get(5, TimeUnit.SECONDS);
            assertThat(ask(team, "where").getString(0)).isEqualTo("/team-7");
        }
    }

    @Test
    void rolesAllowedGuardsTheNamespaceAndEachEvent() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket anonymous = client.socket("/ops", null);
            assertThatThrownBy(() -> anonymous.connected().get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ConnectErrorException.class).hasMessage("authentication required");
        }
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket guest = client.socket("/ops", Map.of("user", "gus", "roles", "guest"));
            assertThatThrownBy(() -> guest.connected().get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOf(ConnectErrorException.class).hasMessage("missing role");
        }
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket operator = client.socket("/ops", Map.of("user", "olga", "roles", "ops"));
            operator.connected().get(5, TimeUnit.SECONDS);
            assertThat(ask(operator, "status").getString(0)).isEqualTo("green");
            CompletableFuture<Args> refused = new CompletableFuture<>();
            operator.on("error", (args, reply) -> refused.complete(args));
            operator.emit("purge");
            assertThat(refused.get(5, TimeUnit.SECONDS).getJsonObject(0).getString("message"))
                    .isEqualTo("not allowed: purge");
        }
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket admin = client.socket("/ops", Map.of("user", "ada", "roles", "ops,admin"));
            admin.connected().get(5, TimeUnit.SECONDS);
            assertThat(ask(admin, "purge").getString(0)).isEqualTo("purged");
        }
    }

    // ---------------------------------------------------------------- arguments that do not fit, at run time

    private static final String ORDER = Order.class.getName();

    private static ClientSocket customer(ParleyClient client) throws Exception {
        ClientSocket shop = client.socket("/shop", Map.of("role", "customer"));
        shop.connected().get(5, TimeUnit.SECONDS);
        return shop;
    }

    private static BlockingQueue<Args> listen(ClientSocket socket, String event) {
        BlockingQueue<Args> received = new LinkedBlockingQueue<>();
        socket.on(event, (args, reply) -> received.add(args));
        return received;
    }

    private static Args next(BlockingQueue<Args> queue) throws InterruptedException {
        Args args = queue.poll(5, TimeUnit.SECONDS);
        assertThat(args).as("an event within 5 s").isNotNull();
        return args;
    }

    static Stream<Arguments> wrongArguments() {
        return Stream.of(
                Arguments.of("order", new Object[] {"tea"}, 1,
                        "argument 1 of event \"order\" is not a " + ORDER + ": expected a JSON object, got the string \"tea\""),
                Arguments.of("order", new Object[] {List.of(1)}, 1,
                        "argument 1 of event \"order\" is not a " + ORDER + ": expected a JSON object, got an array"),
                // JSON-B's reason: the outermost message names the property, the innermost the value.
                Arguments.of("order", new Object[] {Map.of("item", "tea", "quantity", "five")}, 1,
                        "argument 1 of event \"order\" is not a " + ORDER + ": Unable to deserialize property "
                                + "'quantity' because of: Error deserialize JSON value into type: int. "
                                + "(For input string: \"five\")"),
                Arguments.of("add", new Object[] {1, "x"}, 2,
                        "argument 2 of event \"add\" is not a long: got the string \"x\""),
                Arguments.of("add", new Object[] {1}, 2,
                        "argument 2 of event \"add\" is not a long: it is missing (the event has 1 argument)"),
                Arguments.of("add", new Object[] {null, 1}, 1, "argument 1 of event \"add\" is not a long: got null"),
                Arguments.of("add", new Object[] {true, 1}, 1, "argument 1 of event \"add\" is not a long: got true"),
                Arguments.of("double", new Object[] {3_000_000_000L}, 1,
                        "argument 1 of event \"double\" is not an int: got the number 3000000000, which is out of range"),
                Arguments.of("double", new Object[] {1.5}, 1,
                        "argument 1 of event \"double\" is not an int: got the number 1.5, which is not a whole number"),
                Arguments.of("size", new Object[] {"text", Map.of("name", "x")}, 1,
                        "argument 1 of event \"size\" is not a byte[]: got the string \"text\""),
                Arguments.of("size", new Object[] {new byte[] {1}, List.of()}, 2,
                        "argument 2 of event \"size\" is not a jakarta.json.JsonObject: got an array"),
                Arguments.of("order", new Object[] {Map.of("item", new byte[] {1})}, 1,
                        "argument 1 of event \"order\" is not a " + ORDER
                                + ": binary data cannot be bound to a JSON type; take byte[] or Object"),
                // What the client sent is echoed cut short, with control characters escaped.
                Arguments.of("add", new Object[] {"line1\nline2" + "x".repeat(100), 1}, 1,
                        "argument 1 of event \"add\" is not a long: got the string \"line1\\u000aline2"
                                + "x".repeat(24) + "\u2026\""));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongArguments")
    void aWrongArgumentIsAnsweredInTheAckWithTheErrorObject(String event, Object[] args, int argument, String error)
            throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket shop = customer(client);
            Args answer = ask(shop, event, args);
            assertThat(answer.size()).isEqualTo(1);
            JsonObject object = answer.getJsonObject(0);
            assertThat(object.keySet()).containsExactly("message", "data");
            assertThat(object.getString("message")).isEqualTo(error);
            JsonObject data = object.getJsonObject("data");
            assertThat(data.keySet()).containsExactly("event", "status", "argument");
            assertThat(data.getString("event")).isEqualTo(event);
            assertThat(data.getInt("status")).isEqualTo(400);
            assertThat(data.getInt("argument")).isEqualTo(argument);
        }
    }

    @Test
    void withoutAnAckTheClientReceivesAnErrorEvent() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket shop = customer(client);
            BlockingQueue<Args> errors = listen(shop, "error");
            shop.emit("order", 42);
            Args error = next(errors);
            assertThat(error.size()).isEqualTo(1);
            assertThat(error.getJsonObject(0).toString()).isEqualTo("{\"message\":\"argument 1 of event \\\"order\\\" is not a "
                    + ORDER + ": expected a JSON object, got the number 42\",\"data\":{\"event\":\"order\",\"status\":400,"
                    + "\"argument\":1}}");
            assertThat(ask(shop, "add", 1, 1).getLong(0)).isEqualTo(2); // the socket lives on
        }
    }

    /**
     * A refused argument is per-message detail: nothing at INFO and above (what a default configuration
     * prints), one line without a stack trace at FINE for the developer who raises the level.
     */
    @Test
    void aWrongArgumentIsLoggedAtFineAsOneLineWithoutAStackTrace() throws Exception {
        Logger logger = Logger.getLogger(AnnotatedNamespace.class.getName());
        Level before = logger.getLevel();
        List<LogRecord> fine = new CopyOnWriteArrayList<>();
        Handler atFine = new Handler() {
            @Override
            public void publish(LogRecord r) {
                fine.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.setLevel(Level.FINE);
        logger.addHandler(atFine);
        try (LogCapture log = LogCapture.start();
             ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket shop = customer(client);
            ask(shop, "order", List.of(1));
            // Logged before the answer is sent: it is there once the ack is.
            assertThat(fine).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(Level.FINE);
                assertThat(r.getThrown()).isNull();
                assertThat(r.getMessage()).isEqualTo("namespace /shop, socket " + shop.id() + ", method "
                        + Shop.class.getName() + ".order: argument 1 of event \"order\" is not a " + ORDER
                        + ": expected a JSON object, got an array");
            });
            assertThat(log.records()).as("at INFO and above")
                    .noneMatch(r -> r.getLoggerName().equals(AnnotatedNamespace.class.getName()));
            log.assertNoStackTraces();
        } finally {
            logger.removeHandler(atFine);
            logger.setLevel(before);
        }
    }

    @Test
    void onErrorReceivesTheTypedException() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket shop = customer(client);
            BlockingQueue<Args> bad = listen(shop, "bad-argument");
            shop.emit("add", 1, "x");
            Args reported = next(bad);
            assertThat(reported.getString(0)).isEqualTo("add");
            assertThat(reported.getInt(1)).isEqualTo(2);
            assertThat(reported.getString(2)).isEqualTo("long");
            assertThat(reported.getString(3)).isEqualTo("got the string \"x\"");
        }
    }

    @Test
    void anExceptionOfTheMethodItselfKeepsItsHandling() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket shop = customer(client);
            BlockingQueue<Args> errors = listen(shop, "error");
            BlockingQueue<Args> failed = listen(shop, "failed");
            BlockingQueue<Args> bad = listen(shop, "bad-argument");
            shop.emit("boom", "kaboom");
            assertThat(next(failed).getString(0)).isEqualTo("kaboom"); // @OnError got it as thrown
            // A bad argument after it: events of one socket are handled and answered in order, so an
            // error event or a bad-argument report caused by "boom" would arrive before these.
            shop.emit("order", 42);
            assertThat(next(errors).getJsonObject(0).getJsonObject("data").getString("event")).isEqualTo("order");
            assertThat(next(bad).getString(0)).isEqualTo("order");
            assertThat(errors).isEmpty();
            assertThat(bad).isEmpty();
        }
    }

    // ---------------------------------------------------------------- definitions refused at registration

    public static class NotAnnotated {
    }

    @SocketNamespace(value = "/a", pattern = "/b")
    public static class NameAndPattern {
    }

    @SocketNamespace(pattern = "/(")
    public static class BadPattern {
    }

    @SocketNamespace("/x")
    public static class ReturnsFromOnConnect {
        @OnConnect
        public String hello(Socket socket) {
            return "no";
        }
    }

    @SocketNamespace("/x")
    public static class AckAndReturn {
        @OnEvent("e")
        public String both(Ack ack) {
            return "no";
        }
    }

    @SocketNamespace("/x")
    public static class WrongParameter {
        @OnDisconnect
        public void gone(Socket socket, String text) {
        }
    }

    @SocketNamespace("/x")
    public static class PrivateHandler {
        @OnEvent("e")
        private void hidden() {
        }
    }

    @SocketNamespace("/x")
    public static class StaticHandler {
        @OnEvent("e")
        public static void shared() {
        }
    }

    @SocketNamespace("/x")
    public static class NoEventName {
        @OnEvent("")
        public void nameless() {
        }
    }

    @Test
    void wrongDefinitionsFailWithTheClassAndMethodNamed() {
        String p = AnnotatedNamespaceTest.class.getName() + "$";
        assertThatThrownBy(() -> AnnotatedNamespace.of(NotAnnotated.class)).isInstanceOf(NamespaceDefinitionException.class)
                .hasMessage(p + "NotAnnotated is not annotated with @SocketNamespace");
        assertThatThrownBy(() -> AnnotatedNamespace.of(NameAndPattern.class))
                .hasMessageContaining("needs exactly one of value");
        assertThatThrownBy(() -> AnnotatedNamespace.of(BadPattern.class)).hasMessageContaining("invalid pattern");
        assertThatThrownBy(() -> AnnotatedNamespace.of(ReturnsFromOnConnect.class))
                .hasMessage("@OnConnect method " + p + "ReturnsFromOnConnect.hello must return void, not java.lang.String");
        assertThatThrownBy(() -> AnnotatedNamespace.of(AckAndReturn.class))
                .hasMessage("@OnEvent method " + p + "AckAndReturn.both both takes an Ack and returns a value: use one of them");
        assertThatThrownBy(() -> AnnotatedNamespace.of(WrongParameter.class))
                .hasMessage("@OnDisconnect method " + p + "WrongParameter.gone: parameter 2 (text) of type "
                        + "java.lang.String cannot be bound here (it may take Socket, DisconnectReason)");
        assertThatThrownBy(() -> AnnotatedNamespace.of(PrivateHandler.class))
                .hasMessage("annotated method " + p + "PrivateHandler.hidden must be public");
        assertThatThrownBy(() -> AnnotatedNamespace.of(StaticHandler.class))
                .hasMessage("@OnEvent method " + p + "StaticHandler.shared must be public and not static");
        assertThatThrownBy(() -> AnnotatedNamespace.of(NoEventName.class)).hasMessageContaining("needs an event name");
    }
}
