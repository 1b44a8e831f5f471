package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineOptions;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import dev.parley.testing.CuttingProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java client's reconnection against a real standalone Parley, the connection going through a
 * {@link CuttingProxy}: cut, frozen, server restarted; buffered emits, lifecycle events, the callback thread.
 */
class ParleyClientReconnectTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Fast backoff: the tests wait for attempts, not for the defaults' seconds. */
    private static final ClientOptions FAST = ClientOptions.defaults().reconnectionDelay(50).reconnectionDelayMax(300)
            .connectTimeout(2000);

    private ParleyServer parley;
    private StandaloneServer server;
    private CuttingProxy proxy;
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private final AtomicInteger rootConnections = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        startServer(0);
        proxy = new CuttingProxy(server.port());
    }

    private void startServer(int port) throws Exception {
        parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().pingInterval(200).pingTimeout(400).build()).build());
        parley.onConnection(socket -> {
            rootConnections.incrementAndGet();
            tokens.add(socket.handshake().auth().getString("token", "none"));
            socket.on("note", (args, ack) -> notes.add(args.getString(0)));
            socket.on("ack", (args, ack) -> ack.send(args.toArray()));
            socket.on("seq", (args, ack) -> {
                for (int i = 0; i < args.getInt(0); i++) {
                    socket.emit("seq", i);
                }
            });
            socket.on("kick", (args, ack) -> socket.disconnect(false));
        });
        parley.of("/other").onConnection(socket -> socket.on("ack", (args, ack) -> ack.send(args.toArray())));
        server = StandaloneServer.start("127.0.0.1", port, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    private void stopServer() {
        parley.close();
        server.close();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        stopServer();
    }

    private URI viaProxy() {
        return URI.create("http://127.0.0.1:" + proxy.port());
    }

    @Test
    void aCutConnectionIsReportedAsTransportCloseAndReconnectsWithFreshAuth() throws Exception {
        AtomicInteger tokenCount = new AtomicInteger();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        List<Integer> reconnects = new CopyOnWriteArrayList<>();
        List<String> reasons = new CopyOnWriteArrayList<>();
        AtomicInteger connects = new AtomicInteger();
        try (ParleyClient client = ParleyClient.connect(viaProxy(), FAST)) {
            client.onReconnectAttempt(attempts::add).onReconnect(reconnects::add);
            ClientSocket socket = client.socketWithAuth("/", () -> Map.of("token", "t" + tokenCount.incrementAndGet()),
                    s -> s.onDisconnect(reasons::add).onConnect(connects::incrementAndGet));
            String firstId = socket.connected().get(5, TimeUnit.SECONDS);
            String firstSession = client.sessionId();
            // the default transports upgrade to a WebSocket: its cut is a "transport close" (a polling request's
            // failure would be a "transport error", as in socket.io-client: ParleyClientTransportTest)
            await().atMost(WAIT).until(() -> ClientOptions.WEBSOCKET.equals(client.transport()));

            proxy.cut();

            await().atMost(WAIT).until(() -> reasons.equals(List.of("transport close")));
            await().atMost(WAIT).until(() -> reconnects.size() == 1 && connects.get() == 2);
            assertThat(attempts).containsExactly(1);
            assertThat(reconnects).containsExactly(1);
            assertThat(socket.isConnected()).isTrue();
            assertThat(socket.id()).isNotNull().isNotEqualTo(firstId);
            assertThat(client.sessionId()).isNotNull().isNotEqualTo(firstSession);
            assertThat(socket.recovered()).as("Parley's server offers no recovery here").isFalse();
            assertThat(tokens).containsExactly("t1", "t2");
            Args a = socket.emitWithAck(WAIT, "ack", "after").get(5, TimeUnit.SECONDS);
            assertThat(a.getString(0)).isEqualTo("after");
        }
    }

    @Test
    void aFrozenConnectionIsReportedAsPingTimeoutAndReconnects() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<Integer> reconnects = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(viaProxy(), FAST)) {
            client.onReconnect(reconnects::add);
            ClientSocket socket = client.socket("/", null, s -> s.onDisconnect(reasons::add));
            socket.connected().get(5, TimeUnit.SECONDS);

            proxy.pause(true); // no ping reaches the client: after 200 + 400 ms it gives the connection up
            await().atMost(WAIT).until(() -> reasons.equals(List.of("ping timeout")));
            assertThat(client.isOpen()).isFalse();
            proxy.pause(false);
            proxy.cut(); // the frozen connection, whose close frame may still be in flight

            await().atMost(WAIT).until(() -> reconnects.size() == 1 && socket.isConnected());
            assertThat(socket.emitWithAck(WAIT, "ack", 5).get(5, TimeUnit.SECONDS).getInt(0)).isEqualTo(5);
        }
    }

    @Test
    void aServerRestartedOnTheSamePortIsFoundAfterBackoffAttempts() throws Exception {
        int port = server.port();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        List<Integer> reconnects = new CopyOnWriteArrayList<>();
        List<Throwable> connectErrors = new CopyOnWriteArrayList<>();
        List<Throwable> reconnectErrors = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + port), FAST)) {
            client.onReconnectAttempt(attempts::add).onReconnect(reconnects::add).onReconnectError(reconnectErrors::add);
            ClientSocket socket = client.socket("/", null, s -> s.onConnectError(connectErrors::add));
            socket.connected().get(5, TimeUnit.SECONDS);

            stopServer();
            await().atMost(WAIT).until(() -> attempts.size() >= 3);
            assertThat(connectErrors).as("each failed attempt is a connect_error of the namespace").isNotEmpty();
            startServer(port);

            await().atMost(WAIT).until(() -> reconnects.size() == 1 && socket.isConnected());
            int tried = reconnects.get(0);
            assertThat(tried).isGreaterThanOrEqualTo(3);
            assertThat(attempts).as("numbered from 1, one per attempt").startsWith(1, 2, 3).hasSize(tried);
            assertThat(reconnectErrors).hasSize(tried - 1);
            assertThat(socket.emitWithAck(WAIT, "ack", "back").get(5, TimeUnit.SECONDS).getString(0)).isEqualTo("back");
        }
    }

    @Test
    void reconnectFailedAfterTheConfiguredAttempts() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        CountDownLatch failed = new CountDownLatch(1);
        try (ParleyClient client = ParleyClient.connect(viaProxy(), FAST.reconnectionAttempts(2))) {
            client.onReconnectAttempt(attempts::add).onReconnectFailed(failed::countDown);
            client.socket("/", null).connected().get(5, TimeUnit.SECONDS);
            proxy.refuse(true);
            proxy.cut();
            assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(attempts).containsExactly(1, 2);
            int seen = proxy.accepted();
            proxy.refuse(false);
            await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> proxy.accepted() == seen);
            assertThat(client.isOpen()).isFalse();
        }
    }

    @Test
    void withReconnectionOffALostConnectionStaysLost() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(viaProxy(), FAST.reconnection(false))) {
            client.onReconnectAttempt(attempts::add);
            ClientSocket socket = client.socket("/", null, s -> s.onDisconnect(reasons::add));
            socket.connected().get(5, TimeUnit.SECONDS);
            // upgraded (no probe connection left to come), so the cut is a WebSocket's: "transport close"
            await().atMost(WAIT).until(() -> ClientOptions.WEBSOCKET.equals(client.transport()));
            int seen = proxy.accepted();
            proxy.cut();
            await().atMost(WAIT).until(() -> reasons.equals(List.of("transport close")));
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> proxy.accepted() == seen);
            assertThat(attempts).isEmpty();
            assertThat(client.isOpen()).isFalse();
            assertThat(socket.isActive()).isFalse();
            assertThatThrownBy(() -> socket.emit("note", "x")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void emitsWhileDisconnectedAreSentOnceAfterReconnecting() throws Exception {
        List<Integer> reconnects = new CopyOnWriteArrayList<>();
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(viaProxy(), FAST)) {
            client.onReconnect(reconnects::add);
            ClientSocket socket = client.socket("/", null, s -> s.onDisconnect(reasons::add));
            socket.connected().get(5, TimeUnit.SECONDS);
            socket.emit("note", "before");
            await().atMost(WAIT).until(() -> notes.equals(List.of("before")));

            proxy.refuse(true);
            proxy.cut();
            await().atMost(WAIT).until(() -> !reasons.isEmpty());
            assertThat(socket.isConnected()).isFalse();
            for (int i = 0; i < 5; i++) {
                socket.emit("note", "while " + i);
            }
            CompletableFuture<Args> acked = socket.emitWithAck(WAIT, "ack", "buffered");
            assertThat(notes).containsExactly("before");
            proxy.refuse(false);

            await().atMost(WAIT).until(() -> notes.size() == 6);
            assertThat(acked.get(5, TimeUnit.SECONDS).getString(0)).isEqualTo("buffered");
            socket.emit("note", "after");
            await().atMost(WAIT).until(() -> notes.size() == 7);
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> notes.size() == 7);
            assertThat(notes).containsExactly("before", "while 0", "while 1", "while 2", "while 3", "while 4", "after");
            assertThat(reconnects).hasSize(1);
        }
    }

    @Test
    void aFullSendBufferRefusesTheNextEmit() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(viaProxy(), FAST.sendBufferLimit(3))) {
            ClientSocket socket = client.socket("/", null, s -> s.onDisconnect(reasons::add));
            socket.connected().get(5, TimeUnit.SECONDS);
            proxy.refuse(true);
            proxy.cut();
            await().atMost(WAIT).until(() -> !reasons.isEmpty());
            socket.emit("note", "1");
            socket.emit("note", "2");
            socket.emit("note", "3");
            assertThatThrownBy(() -> socket.emit("note", "4")).isInstanceOf(SendBufferFullException.class)
                    .hasMessageContaining("3 packets");
            proxy.refuse(false);
            await().atMost(WAIT).until(() -> notes.size() == 3);
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> notes.size() == 3);
            assertThat(notes).containsExactly("1", "2", "3");
        }
    }

    @Test
    void aNamespaceTheServerRemovedDoesNotReconnect() throws Exception {
        List<String> rootReasons = new CopyOnWriteArrayList<>();
        List<Integer> reconnects = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(viaProxy(), FAST)) {
            client.onReconnect(reconnects::add);
            ClientSocket root = client.socket("/", null, s -> s.onDisconnect(rootReasons::add));
            ClientSocket other = client.socket("/other", null);
            root.connected().get(5, TimeUnit.SECONDS);
            String otherId = other.connected().get(5, TimeUnit.SECONDS);
            root.emit("kick");
            await().atMost(WAIT).until(() -> rootReasons.equals(List.of("io server disconnect")));
            assertThat(root.isActive()).isFalse();

            proxy.cut();
            await().atMost(WAIT).until(() -> reconnects.size() == 1 && other.isConnected());
            assertThat(other.id()).isNotEqualTo(otherId);
            assertThat(root.isConnected()).isFalse();
            assertThat(rootReasons).containsExactly("io server disconnect");
            assertThat(rootConnections.get()).isEqualTo(1);
            assertThatThrownBy(() -> root.emit("note", "x")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closeStopsReconnectingAndLeavesNoClientThread() throws Exception {
        Set<Thread> before = clientThreads();
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        // WebSocket only, so the client's threads are exactly these two (polling adds its HTTP and upgrade
        // threads: ParleyClientTransportTest checks that close() ends those too)
        ParleyClient client = ParleyClient.connect(viaProxy(), FAST.transports(List.of(ClientOptions.WEBSOCKET)));
        client.onReconnectAttempt(attempts::add);
        ClientSocket socket = client.socket("/", null, s -> s.onDisconnect(reasons::add));
        socket.connected().get(5, TimeUnit.SECONDS);
        Set<Thread> mine = clientThreads();
        mine.removeAll(before);
        assertThat(mine.stream().map(Thread::getName).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(ParleyClient.EVENTS_THREAD, ParleyClient.TIMER_THREAD);

        client.close();

        assertThat(reasons).as("told before close() returned").containsExactly("io client disconnect");
        await().atMost(WAIT).until(() -> mine.stream().noneMatch(Thread::isAlive));
        int seen = proxy.accepted();
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> proxy.accepted() == seen);
        assertThat(attempts).isEmpty();
        assertThat(socket.isActive()).isFalse();
        assertThatThrownBy(() -> socket.emit("note", "late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSlowHandlerDelaysTheNextHandlersButNotTheHeartbeat() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> seq = new CopyOnWriteArrayList<>();
        List<String> handlerThreads = new CopyOnWriteArrayList<>();
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (ParleyClient client = ParleyClient.connect(viaProxy(), FAST)) {
            ClientSocket socket = client.socket("/", null, s -> s.onDisconnect(reasons::add).on("seq", (args, r) -> {
                handlerThreads.add(Thread.currentThread().getName());
                if (args.getInt(0) == 0) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                seq.add(args.getInt(0));
            }));
            socket.connected().get(5, TimeUnit.SECONDS);
            String sid = client.sessionId();
            socket.emit("seq", 3);
            await().atMost(WAIT).until(() -> handlerThreads.size() == 1);
            // blocked for more than pingInterval + pingTimeout (600 ms): the pings are still answered
            await().during(Duration.ofMillis(1200)).atMost(WAIT)
                    .until(() -> reasons.isEmpty() && client.isOpen() && parley.engine().session(sid) != null);
            assertThat(seq).isEmpty();
            release.countDown();
            await().atMost(WAIT).until(() -> seq.size() == 3);
            assertThat(seq).containsExactly(0, 1, 2);
            assertThat(handlerThreads).containsOnly(ParleyClient.EVENTS_THREAD);
        }
    }

    @Test
    void aGivenExecutorRunsTheCallbacksInArrivalOrderAndIsLeftRunning() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "test-callbacks"));
        try {
            List<Integer> seq = Collections.synchronizedList(new ArrayList<>());
            List<String> threads = new CopyOnWriteArrayList<>();
            try (ParleyClient client = ParleyClient.connect(viaProxy(), FAST.callbackExecutor(pool))) {
                ClientSocket socket = client.socket("/", null, s -> s.on("seq", (args, r) -> {
                    threads.add(Thread.currentThread().getName());
                    seq.add(args.getInt(0));
                }));
                socket.connected().get(5, TimeUnit.SECONDS);
                socket.emit("seq", 200);
                await().atMost(WAIT).until(() -> seq.size() == 200);
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    expected.add(i);
                }
                assertThat(seq).isEqualTo(expected);
                assertThat(threads).containsOnly("test-callbacks");
            }
            assertThat(pool.isShutdown()).isFalse();
            assertThat(clientThreads().stream().map(Thread::getName)).doesNotContain(ParleyClient.EVENTS_THREAD);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("parley-client-") && t.isAlive())
                .collect(Collectors.toSet());
    }
}
