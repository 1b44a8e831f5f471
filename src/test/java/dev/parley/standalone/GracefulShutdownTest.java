package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineOptions;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.DisconnectReason;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.SocketDisconnectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 item 4 on the in-JVM standalone server with the official socket.io-client: {@link ParleyServer#close()}
 * flushes what was emitted just before it, ends every connection so that the client reconnects (reason
 * {@code "transport close"}, never the final {@code "io server disconnect"}), fails pending acks at once with the
 * shutdown named, leaves no thread of its own, and a server started again on the same port takes the clients back.
 */
class GracefulShutdownTest {

    private static final int CLIENTS = 3;
    private static final long GRACE = 10_000;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<DisconnectReason> serverSideReasons = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Args>> pendingAcks = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ParleyServer parley(long grace) {
        ParleyServer parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().shutdownGrace(grace).build()).build());
        parley.onConnection(socket -> {
            socket.onDisconnect((reason, description) -> serverSideReasons.add(reason));
            pendingAcks.add(socket.emitWithAck(Duration.ofMinutes(5), "needs-ack"));
        });
        return parley;
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void clientsGetWhatWasEmittedThenReconnectToTheRestartedServer(String transport) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ParleyServer parley = parley(GRACE);
        StandaloneServer server = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(parley.engine(), false)), false);
        int port = server.port();
        ShutdownClients clients = ShutdownClients.start("http://127.0.0.1:" + port, CLIENTS, transport);
        open.add(clients);
        await().atMost(Duration.ofSeconds(20)).until(() -> clients.lines("ASKED").size() == CLIENTS);
        assertThat(clients.lines("CONNECTED")).hasSize(CLIENTS).allMatch(l -> l.contains(" " + transport + " "));
        List<String> threadsWhileRunning = ours(before);
        assertThat(threadsWhileRunning).as("the server's threads while it runs").contains("parley-timer");
        CompletableFuture<List<Args>> broadcastAck = parley.timeout(Duration.ofMinutes(5)).emitWithAck("needs-ack");
        await().atMost(Duration.ofSeconds(20)).until(() -> clients.lines("ASKED").size() == 2 * CLIENTS);

        parley.emit("last", "bye"); // right before close(): must still reach every client
        long start = System.nanoTime();
        parley.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("[GracefulShutdownTest] " + transport + ": close() took " + closeMillis + " ms");
        server.close();

        // Pending acks failed at once, naming the shutdown (they would otherwise wait 5 minutes).
        assertThat(pendingAcks).hasSize(CLIENTS).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        for (CompletableFuture<?> f : pendingAcks) {
            assertThat(f.handle((v, e) -> e).join()).isInstanceOf(SocketDisconnectedException.class)
                    .hasMessageStartingWith("socket disconnected: server shutting down")
                    .satisfies(e -> assertThat(((SocketDisconnectedException) e).isServerShutdown()).isTrue());
        }
        assertThat(broadcastAck).isCompletedExceptionally();
        assertThat(broadcastAck.handle((v, e) -> e).join()).isInstanceOf(SocketDisconnectedException.class)
                .hasMessageStartingWith("socket disconnected: server shutting down");
        assertThat(serverSideReasons).hasSize(CLIENTS).containsOnly(DisconnectReason.SERVER_SHUTTING_DOWN);
        // Nothing was stuck: the close did not need the grace period.
        assertThat(closeMillis).as("close() with every client reading").isLessThan(GRACE / 2);

        await().atMost(Duration.ofSeconds(20)).until(() -> clients.lines("DISCONNECTED").size() == CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            List<String> mine = mine(clients.lines(), i);
            assertThat(mine).as("client %d", i).containsSubsequence("GOT " + i + " last bye",
                    "DISCONNECTED " + i + " transport_close true");
        }
        assertThat(clients.lines()).noneMatch(l -> l.contains("io_server_disconnect"));

        // No thread of the stopped server is left, and its timer holds no task.
        assertThat(parley.engine().isStopped()).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ours(before))
                .as("threads left by the stopped server (it had %s)", threadsWhileRunning).isEmpty());

        // A server started again on the same port takes every client back by their own reconnection.
        ParleyServer again = parley(GRACE);
        StandaloneServer restarted = StandaloneServer.start("127.0.0.1", port,
                List.of(new StandaloneServer.Mount(again.engine(), false)), false);
        open.add(() -> {
            again.close();
            restarted.close();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> clients.lines("CONNECTED").size() == 2 * CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            assertThat(clients.connects(i)).as("client %d connected twice", i).isEqualTo(2);
        }
    }

    /**
     * A client that stops reading (a WebSocket whose TCP window is full) or polling holds what was emitted for it:
     * close() waits for it no longer than the grace, then closes it regardless, while a reading client on the same
     * server gets its message and its reconnectable disconnect as usual.
     */
    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void aFrozenClientIsAbandonedAfterTheGrace(String transport) throws Exception {
        long grace = 1_500;
        ParleyServer parley = new ParleyServer(ParleyOptions.builder().engine(EngineOptions.builder()
                .shutdownGrace(grace).maxBufferedBytes(64L << 20).build()).build());
        List<String> joined = new CopyOnWriteArrayList<>();
        parley.onConnection(socket -> joined.add(socket.id()));
        StandaloneServer server = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(parley.engine(), false)), false);
        open.add(server::close);
        open.add(parley::close);
        ShutdownClients reader = ShutdownClients.start("http://127.0.0.1:" + server.port(), 1, transport);
        open.add(reader);
        AutoCloseable frozen;
        if (transport.equals("websocket")) {
            // A 4 KiB receive window: what the server sends beyond the kernel buffers waits in Parley's writer.
            HandMadeWebSocket ws = HandMadeWebSocket.open("127.0.0.1", server.port(),
                    "/socket.io/?EIO=4&transport=websocket", 4096);
            ws.sendText("40");
            frozen = ws;
        } else {
            RawHttp http = new RawHttp("http://127.0.0.1:" + server.port());
            String sid = http.openPolling("/socket.io/");
            assertThat(http.post("/socket.io/?EIO=4&transport=polling&sid=" + sid, "40").statusCode()).isEqualTo(200);
            frozen = () -> { }; // it simply never polls again
        }
        open.add(frozen);
        await().atMost(Duration.ofSeconds(20)).until(() -> joined.size() == 2 && reader.connects(0) == 1);
        String big = "x".repeat(2 << 20);
        for (int i = 0; i < (transport.equals("websocket") ? 8 : 1); i++) {
            parley.emit("last", big); // 16 MiB for the WebSocket: more than loopback's TCP buffers hold
        }
        parley.emit("last", "bye");

        long start = System.nanoTime();
        parley.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("[GracefulShutdownTest] frozen " + transport + " client: close() took " + closeMillis
                + " ms (grace " + grace + ")");

        assertThat(closeMillis).as("close() with a frozen %s client, grace %d ms", transport, grace)
                .isBetween(grace - 100, grace + 3_000);
        assertThat(parley.engine().isStopped()).isTrue();
        assertThat(parley.engine().sessionCount()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> reader.lines("DISCONNECTED").size() == 1);
        assertThat(reader.lines()).containsSubsequence("GOT 0 last bye", "DISCONNECTED 0 transport_close true");
    }

    /** Threads started since {@code before} that belong to a Parley or Grizzly/Tyrus server and are alive. */
    private static List<String> ours(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .filter(n -> !n.startsWith("output-") && !n.startsWith("process reaper")
                        && !n.startsWith("ForkJoinPool") && !n.startsWith("awaitility"))
                // Grizzly's JVM-wide pools, one per JVM whatever the number of servers (static fields):
                // grizzly-http-servlet's AsyncContextImpl.pool (a cached pool: idle threads end after 60 s)
                // and grizzly-http-server's DefaultSessionManager expirer. The jar's process exits anyway.
                .filter(n -> !n.startsWith("grizzly-web-async-thread-") && !n.equals("Grizzly-HttpSession-Expirer"))
                .sorted().collect(Collectors.toList());
    }

    private static List<String> mine(List<String> lines, int i) {
        return lines.stream().filter(l -> l.split(" ").length > 1 && l.split(" ")[1].equals(String.valueOf(i)))
                .toList();
    }
}
