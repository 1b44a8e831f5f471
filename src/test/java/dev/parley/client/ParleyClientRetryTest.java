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
import dev.parley.testing.CuttingProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java client's ack retries ({@link ClientOptions#retries}, as socket.io-client 4.6+) against a real standalone
 * Parley: one emit in flight at a time, resent when unacknowledged, failed after retries + 1 sends, resent after a
 * reconnection; delivery is at-least-once.
 */
class ParleyClientRetryTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /** The emit of {@link #cutMidQueue} whose first delivery the server does not ack. */
    private static final int HELD_SEQ = 20;

    private ParleyServer parley;
    private StandaloneServer server;
    private CuttingProxy proxy;
    /** Every delivery the server saw, in order: "event:arg". */
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    /** A "seq" number whose first delivery the server does not ack (-1: none). */
    private volatile int holdFirstSeq = -1;

    @BeforeEach
    void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().pingInterval(200).pingTimeout(400).build()).build());
        parley.onConnection(socket -> {
            // ignores the first delivery of each message, acks the later ones
            socket.on("flaky", (args, ack) -> {
                log.add("flaky:" + args.getString(0));
                if (count("flaky:" + args.getString(0)) > 1) {
                    ack.send("got " + args.getString(0));
                }
            });
            socket.on("never", (args, ack) -> {
                log.add("never:" + args.getString(0));
                count("never:" + args.getString(0));
            });
            socket.on("seq", (args, ack) -> {
                log.add("seq:" + args.getInt(0));
                // the first delivery of HELD_SEQ is never acked: the queue stops there until the test cuts, so the
                // cut falls mid-queue however fast the earlier round trips were (a CI run drained all 300 first)
                if (count("seq:" + args.getInt(0)) > 1 || args.getInt(0) != holdFirstSeq) {
                    ack.send(args.getInt(0));
                }
            });
        });
        parley.of("/private").use((socket, next) -> next.fail(new ConnectError("go away", Map.of("code", 403))));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        proxy = new CuttingProxy(server.port());
    }

    private int count(String key) {
        return deliveries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private int delivered(String key) {
        AtomicInteger n = deliveries.get(key);
        return n == null ? 0 : n.get();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        parley.close();
        server.close();
    }

    private ParleyClient connect(ClientOptions options) throws Exception {
        return ParleyClient.connect(URI.create("http://127.0.0.1:" + proxy.port()), options
                .reconnectionDelay(50).reconnectionDelayMax(300).connectTimeout(2000));
    }

    @Test
    void anEmitTheServerIgnoredOnceIsSentAgainAndAcked() throws Exception {
        try (ParleyClient client = connect(ClientOptions.defaults().retries(3).ackTimeout(300))) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            List<String> written = new CopyOnWriteArrayList<>();
            socket.onAnyOutgoing((event, args) -> written.add(event + ":" + args.get(0)));
            CompletableFuture<Args> acked = socket.emitWithAck("flaky", "a");
            // a plain emit queues behind it: it leaves only once "a" is acked, one packet in flight at a time
            socket.emit("seq", 1);
            assertThat(acked.get(10, TimeUnit.SECONDS).getString(0)).isEqualTo("got a");
            await().atMost(WAIT).until(() -> delivered("seq:1") == 1);
            assertThat(log).containsExactly("flaky:a", "flaky:a", "seq:1");
            assertThat(written).as("each try is written again").containsExactly("flaky:a", "flaky:a", "seq:1");
        }
    }

    @Test
    void anEmitNeverAckedFailsAfterRetriesPlusOneSendsAndTheQueueMovesOn() throws Exception {
        try (ParleyClient client = connect(ClientOptions.defaults().retries(2).ackTimeout(200))) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            CompletableFuture<Args> never = socket.emitWithAck("never", "x");
            CompletableFuture<Args> next = socket.emitWithAck("seq", 7);
            assertThatThrownBy(() -> never.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class);
            assertThat(next.get(10, TimeUnit.SECONDS).getInt(0)).isEqualTo(7);
            assertThat(delivered("never:x")).isEqualTo(3);
            assertThat(log).containsExactly("never:x", "never:x", "never:x", "seq:7");

            // a plain emit never acked is dropped the same way (logged), and the queue goes on
            socket.emit("never", "y");
            assertThat(socket.emitWithAck("seq", 8).get(10, TimeUnit.SECONDS).getInt(0)).isEqualTo(8);
            assertThat(delivered("never:y")).isEqualTo(3);
        }
    }

    @Test
    void queuedEmitsFailWhenTheNamespaceIsRefusedOrLeft() throws Exception {
        // no ackTimeout: only the namespace's end can fail them
        try (ParleyClient client = connect(ClientOptions.defaults().retries(2))) {
            List<CompletableFuture<Args>> queued = new CopyOnWriteArrayList<>();
            ClientSocket refused = client.socket("/private", null, s -> {
                queued.add(s.emitWithAck("seq", 1));
                queued.add(s.emitWithAck("seq", 2));
            });
            for (CompletableFuture<Args> f : queued) {
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("go away");
            }
            assertThat(refused.isActive()).isFalse();

            ClientSocket root = client.socket("/", null);
            root.connected().get(5, TimeUnit.SECONDS);
            CompletableFuture<Args> inFlight = root.emitWithAck("never", "z");
            CompletableFuture<Args> behind = root.emitWithAck("seq", 3);
            await().atMost(WAIT).until(() -> delivered("never:z") == 1);
            root.disconnect();
            assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class).hasMessageContaining("io client disconnect");
            assertThatThrownBy(() -> behind.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class);
            assertThat(delivered("seq:3")).isZero();
        }
    }

    @Test
    void fiftyQueuedEmitsArriveInOrderEachOnce() throws Exception {
        try (ParleyClient client = connect(ClientOptions.defaults().retries(2).ackTimeout(5000))) {
            ClientSocket socket = client.socket("/", null);
            // queued before the namespace is even connected: they leave after its CONNECT, in order
            for (int i = 0; i < 49; i++) {
                socket.emit("seq", i);
            }
            assertThat(socket.emitWithAck("seq", 49).get(20, TimeUnit.SECONDS).getInt(0)).isEqualTo(49);
            assertThat(log).containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "seq:" + i).toList());
        }
    }

    @Test
    void aCutMidQueueLosesNothingDeliveryIsAtLeastOnce() throws Exception {
        cutMidQueue(ClientOptions.defaults().retries(5).ackTimeout(3000));
    }

    /** Without an ack timeout only the reconnection can send the packet in flight again. */
    @Test
    void withoutAckTimeoutTheReconnectionResendsThePacketInFlight() throws Exception {
        cutMidQueue(ClientOptions.defaults().retries(1));
    }

    private void cutMidQueue(ClientOptions options) throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        // the emits written after the reconnection (both lists are fed on the callback executor, in order)
        List<Integer> afterReconnect = new CopyOnWriteArrayList<>();
        AtomicInteger reconnects = new AtomicInteger();
        holdFirstSeq = HELD_SEQ;
        try (ParleyClient client = connect(options)) {
            client.onReconnect(n -> reconnects.incrementAndGet());
            ClientSocket socket = client.socket("/", null, s -> s.onDisconnect(reasons::add)
                    .onAnyOutgoing((event, args) -> {
                        if (reconnects.get() > 0) {
                            afterReconnect.add(args.getInt(0));
                        }
                    }));
            socket.connected().get(5, TimeUnit.SECONDS);
            List<CompletableFuture<Args>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                futures.add(socket.emitWithAck("seq", i));
            }
            await().atMost(WAIT).until(() -> delivered("seq:" + HELD_SEQ) == 1);
            proxy.cut();
            for (int i = 0; i < 300; i++) {
                assertThat(futures.get(i).get(20, TimeUnit.SECONDS).getInt(0)).isEqualTo(i);
            }
            assertThat(reasons).contains("transport close");
            assertThat(afterReconnect).as("the cut fell mid-queue: the rest left on the new connection")
                    .isNotEmpty().isSorted();
            assertThat(afterReconnect.get(afterReconnect.size() - 1)).isEqualTo(299);
            // every emit at least once; a duplicate may happen (the server handled it but its ack was lost), and
            // then only right after the first delivery: the first deliveries are in emit order
            for (int i = 0; i < 300; i++) {
                assertThat(delivered("seq:" + i)).as("deliveries of " + i).isBetween(1, 2);
            }
            assertThat(delivered("seq:" + HELD_SEQ)).as("the unacked one was sent again").isEqualTo(2);
            assertThat(new ArrayList<>(new LinkedHashSet<>(log)))
                    .containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(i -> "seq:" + i).toList());
        }
    }
}
