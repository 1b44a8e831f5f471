package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Namespace middleware (on connect) and socket middleware (on events): one chain, its order and errors. */
class MiddlewareTest {

    private final ParleyServer server = new ParleyServer(ParleyOptions.defaults());
    private final RecordingConnection conn = RecordingConnection.open(server);
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        server.close();
    }

    private SocketPacket lastPacket() {
        List<RecordingConnection.Received> all = conn.received();
        return all.get(all.size() - 1).packet();
    }

    @Test
    void namespaceMiddlewareRunsInOrderThenTheSocketConnects() {
        server.of("/chat")
                .use((socket, next) -> {
                    calls.add("first");
                    next.proceed();
                })
                .use((socket, next) -> {
                    calls.add("second");
                    next.proceed();
                })
                .onConnection(socket -> calls.add("connected"));
        conn.connect("/chat");
        assertThat(calls).containsExactly("first", "second", "connected");
    }

    @Test
    void aFailingMiddlewareRefusesTheConnectionWithItsMessageAndData() {
        server.of("/chat")
                .use((socket, next) -> next.fail(new ConnectError("not allowed", Map.of("code", 403))))
                .use((socket, next) -> calls.add("never"))
                .onConnection(socket -> calls.add("never connected"));
        conn.sendText("0/chat,");
        SocketPacket refusal = lastPacket();
        assertThat(refusal.type()).isEqualTo(SocketPacketType.CONNECT_ERROR);
        assertThat(refusal.namespace()).isEqualTo("/chat");
        JsonObject payload = (JsonObject) refusal.data();
        assertThat(payload.getString("message")).isEqualTo("not allowed");
        assertThat(payload.getJsonObject("data").getInt("code")).isEqualTo(403);
        assertThat(calls).isEmpty();
        assertThat(server.of("/chat").sockets()).isEmpty();
    }

    @Test
    void aThrowingMiddlewareRefusesWithWhatItThrew() {
        server.of("/chat").use((socket, next) -> {
            throw new IllegalStateException("broken middleware");
        });
        conn.sendText("0/chat,");
        assertThat(lastPacket().type()).isEqualTo(SocketPacketType.CONNECT_ERROR);
        assertThat(((JsonObject) lastPacket().data()).getString("message")).isEqualTo("broken middleware");
    }

    @Test
    void middlewareMayContinueLaterFromAnotherThreadAndOnlyItsFirstCallCounts() {
        AtomicReference<Next> held = new AtomicReference<>();
        server.of("/chat").use((socket, next) -> held.set(next)).onConnection(socket -> calls.add("connected"));
        conn.sendText("0/chat,");
        assertThat(calls).isEmpty();
        Thread later = new Thread(() -> {
            held.get().proceed();
            held.get().proceed();
            held.get().fail(new IllegalStateException("too late"));
        });
        later.start();
        await().until(() -> !calls.isEmpty());
        await().until(() -> !later.isAlive());
        assertThat(calls).containsExactly("connected");
        assertThat(conn.received()).extracting(r -> r.packet().type()).doesNotContain(SocketPacketType.CONNECT_ERROR);
    }

    @Test
    void eventsThatArriveWhileTheConnectionHandlersStillRunWaitForThemInOrder() throws Exception {
        // An asynchronous middleware connects the socket on another thread; its connection handler is slow.
        // The CONNECT reply is out first, and the client answers it at once (a reconnected client flushing its
        // buffer): those events must reach the handlers the connection handler registers, in order.
        CountDownLatch handlerMayFinish = new CountDownLatch(1);
        server.of("/chat")
                .use((socket, next) -> new Thread(next::proceed, "async-middleware").start())
                .onConnection(socket -> {
                    await().until(() -> handlerMayFinish.getCount() == 0);
                    socket.on("msg", (args, ack) -> calls.add("msg " + args.getString(0)));
                    calls.add("connected");
                });
        conn.sendText("0/chat,");
        await().until(() -> conn.received().stream().anyMatch(r -> r.packet().type() == SocketPacketType.CONNECT));
        conn.sendText("2/chat,[\"msg\",\"one\"]");
        conn.sendText("2/chat,[\"msg\",\"two\"]");
        assertThat(calls).as("nothing handled before the connection handler ran").isEmpty();
        handlerMayFinish.countDown();
        await().until(() -> calls.size() == 3);
        assertThat(calls).containsExactly("connected", "msg one", "msg two");
        conn.sendText("2/chat,[\"msg\",\"three\"]");
        assertThat(calls).as("once the handlers ran, events are handled as they come")
                .containsExactly("connected", "msg one", "msg two", "msg three");
    }

    @Test
    void socketMiddlewareRunsInOrderAndAFailureDropsTheEventAndReachesTheErrorHandlers() {
        Socket socket = server.of("/").sockets().get(conn.connect("/"));
        socket.use((event, args, next) -> {
            calls.add("first " + event);
            next.proceed();
        });
        socket.use((event, args, next) -> {
            calls.add("second " + event);
            if (event.equals("bad")) {
                next.fail(new IllegalArgumentException("no bad events"));
            } else {
                next.proceed();
            }
        });
        socket.on("good", (args, ack) -> calls.add("handled good"));
        socket.on("bad", (args, ack) -> calls.add("handled bad"));
        socket.onError(e -> calls.add("error " + e.getMessage()));

        conn.sendText("2[\"good\"]");
        conn.sendText("2[\"bad\"]");
        assertThat(calls).containsExactly("first good", "second good", "handled good",
                "first bad", "second bad", "error no bad events");
    }

    @Test
    void aThrowingSocketMiddlewareReachesTheErrorHandlers() {
        Socket socket = server.of("/").sockets().get(conn.connect("/"));
        socket.use((event, args, next) -> {
            throw new IllegalStateException("broken");
        });
        socket.on("any", (args, ack) -> calls.add("handled"));
        socket.onError(e -> calls.add("error " + e.getMessage()));
        conn.sendText("2[\"any\"]");
        assertThat(calls).containsExactly("error broken");
    }
}
