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
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

        @OnError
        public void failed(Socket socket, Exception e) {
            socket.emit("failed", e.getMessage());
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
                    .isEqualTo("argument 1 of add: expected long, got String two");
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
