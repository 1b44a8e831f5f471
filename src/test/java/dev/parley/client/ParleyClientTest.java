package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineOptions;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.ConnectError;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
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

/** The Java client against a real standalone Parley over a real WebSocket (Tyrus client). */
class ParleyClientTest {

    private static ParleyServer parley;
    private static StandaloneServer server;
    private static URI uri;

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().pingInterval(200).pingTimeout(400).build()).build());
        parley.onConnection(socket -> {
            socket.on("echo", (args, ack) -> socket.emit("echo", args.toArray()));
            socket.on("ack", (args, ack) -> ack.send(args.toArray()));
            socket.on("ask", (args, ack) -> socket.emitWithAck(Duration.ofSeconds(5), "question", args.toArray())
                    .thenAccept(reply -> ack.send(reply.toArray())));
            socket.on("kick", (args, ack) -> socket.disconnect(false));
        });
        parley.of("/private").use((socket, next) -> next.fail(new ConnectError("go away", Map.of("code", 403))));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        uri = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    @Test
    void connectsEmitsAndReceives() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket socket = client.socket("/", null);
            assertThat(socket.connected().get(5, TimeUnit.SECONDS)).hasSize(20);
            CompletableFuture<Args> echoed = new CompletableFuture<>();
            socket.on("echo", (args, reply) -> echoed.complete(args));
            socket.emit("echo", 1, "two", Map.of("three", List.of(true)));
            Args args = echoed.get(5, TimeUnit.SECONDS);
            assertThat(args.getLong(0)).isEqualTo(1);
            assertThat(args.getString(1)).isEqualTo("two");
            assertThat(args.getJsonObject(2).toString()).isEqualTo("{\"three\":[true]}");
        }
    }

    @Test
    void acknowledgementsAndBinaryTravelBothWays() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            Args acked = socket.emitWithAck(Duration.ofSeconds(5), "ack", new byte[] {1, 2, 3}, "x")
                    .get(5, TimeUnit.SECONDS);
            assertThat(acked.getBytes(0)).containsExactly(1, 2, 3);
            assertThat(acked.getString(1)).isEqualTo("x");

            socket.on("question", (args, reply) -> reply.accept(new Object[] {"answer to " + args.getString(0)}));
            Args answered = socket.emitWithAck(Duration.ofSeconds(5), "ask", "life").get(5, TimeUnit.SECONDS);
            assertThat(answered.getString(0)).isEqualTo("answer to life");
        }
    }

    @Test
    void aRefusedNamespaceFailsWithTheServersMessageAndData() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket socket = client.socket("/private", Map.of("token", "nope"));
            assertThatThrownBy(() -> socket.connected().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ConnectErrorException.class).hasMessage("go away")
                    .satisfies(e -> assertThat(((ConnectErrorException) e).data().toString()).isEqualTo("{\"code\":403}"));
        }
    }

    @Test
    void aServerSideDisconnectIsReported() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            CompletableFuture<String> reason = new CompletableFuture<>();
            socket.onDisconnect(reason::complete);
            socket.emit("kick");
            assertThat(reason.get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void staysConnectedAcrossSeveralHeartbeats() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            String sid = client.sessionId();
            // pingInterval 200 ms + pingTimeout 400 ms: a client that did not answer pings would be gone
            // well within this second
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> client.isOpen() && parley.engine().session(sid) != null);
            Args a = socket.emitWithAck(Duration.ofSeconds(5), "ack", 7).get(5, TimeUnit.SECONDS);
            assertThat(a.getInt(0)).isEqualTo(7);
        }
    }
}
