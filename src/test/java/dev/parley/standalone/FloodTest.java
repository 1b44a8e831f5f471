package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.engine.EngineOptions;
import dev.parley.server.DisconnectReason;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A flood from one address (handshakes as fast as it can, plus one socket sending events as fast as
 * it can) against a server with the handshake-rate and event-rate limits on, while well-behaved
 * clients keep doing acknowledged round trips. Asserts that the flood is refused and that every
 * bystander round trip is answered; prints the bystanders' latency before and during the flood
 * (a measurement for the record, not a timed assertion).
 */
class FloodTest {

    private static final int BYSTANDERS = 10;
    private static final int ROUND_TRIPS = 300;
    /** Each bystander's pace, well under the event limit (the flooder sends as fast as it can). */
    private static final long INTERVAL_NANOS = 5_000_000; // 200 events/s against a limit of 400/s

    private ParleyServer parley;
    private StandaloneServer server;

    @AfterEach
    void stop() {
        parley.close();
        server.close();
    }

    @Test
    void aFloodFromOneAddressIsRefusedAndOthersAreStillServed() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder().eventRate(400, 400).maxRefusedEvents(400)
                .engine(EngineOptions.builder().handshakeRate(5, 10).build()).build());
        List<DisconnectReason> disconnects = new java.util.concurrent.CopyOnWriteArrayList<>();
        parley.of("/").onConnection(socket -> {
            socket.on("echo", (args, ack) -> ack.send(args.get(0)));
            socket.onDisconnect((reason, description) -> disconnects.add(reason));
        });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        String url = "ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket";
        List<RawWebSocket> bystanders = new ArrayList<>();
        for (int i = 0; i < BYSTANDERS; i++) {
            bystanders.add(joined(url));
        }
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            roundTrips(bystanders, pool); // warm-up: the first round trips measure the JIT, not the server
            long[] before = roundTrips(bystanders, pool);

            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger refusedHandshakes = new AtomicInteger();
            AtomicInteger acceptedHandshakes = new AtomicInteger();
            CompletableFuture<Void> handshakeFlood = CompletableFuture.runAsync(() -> {
                while (flooding.get()) {
                    try {
                        int status = SourceAddressHttp.get("127.0.0.9", server.port(),
                                "/socket.io/?EIO=4&transport=polling").status();
                        (status == 429 ? refusedHandshakes : acceptedHandshakes).incrementAndGet();
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }
            }, pool);
            RawWebSocket flooder = joined(url);
            CompletableFuture<Integer> eventFlood = CompletableFuture.supplyAsync(() -> {
                int sent = 0;
                try {
                    while (flooding.get()) {
                        flooder.send("42[\"echo\",\"" + "f".repeat(100) + "\"]");
                        sent++;
                    }
                } catch (RuntimeException closedByTheServer) {
                    // the server cut the flooder off: that is the point
                }
                return sent;
            }, pool);

            long[] during = roundTrips(bystanders, pool);
            flooding.set(false);
            handshakeFlood.get(10, TimeUnit.SECONDS);
            int eventsSent = eventFlood.get(10, TimeUnit.SECONDS);

            assertThat(before).hasSize(BYSTANDERS * ROUND_TRIPS);
            assertThat(during).hasSize(BYSTANDERS * ROUND_TRIPS);
            assertThat(acceptedHandshakes).as("handshakes let through for 127.0.0.9").hasValueLessThanOrEqualTo(
                    10 + 5 * 60);
            assertThat(refusedHandshakes).as("handshakes refused with 429").hasPositiveValue();
            // The server cut the flooder off. (Its close frame may not reach it: Tyrus closes the
            // socket right after writing it, and a client still writing then meets a reset, 1006.)
            flooder.awaitClose(java.time.Duration.ofSeconds(10));
            assertThat(disconnects).as("server-side disconnects while the bystanders stay")
                    .containsExactly(DisconnectReason.SERVER_NAMESPACE_DISCONNECT);
            System.out.printf("[flood] bystander round trip p50/p99/max: before %.2f/%.2f/%.2f ms, during %.2f/%.2f/%.2f"
                            + " ms; flood: %d handshakes refused, %d accepted, %d events sent before the cut-off%n",
                    ms(before, 0.5), ms(before, 0.99), ms(before, 1), ms(during, 0.5), ms(during, 0.99), ms(during, 1),
                    refusedHandshakes.get(), acceptedHandshakes.get(), eventsSent);
        } finally {
            pool.shutdownNow();
            bystanders.forEach(RawWebSocket::close);
        }
    }

    private static RawWebSocket joined(String url) throws InterruptedException {
        RawWebSocket ws = RawWebSocket.connect(url, Map.of());
        assertThat((String) ws.next()).startsWith("0{\"sid\":");
        ws.send("40");
        assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
        return ws;
    }

    /** Every bystander does ROUND_TRIPS acked echoes in a row; returns all latencies, sorted, in ns. */
    private static long[] roundTrips(List<RawWebSocket> clients, ExecutorService pool) throws Exception {
        List<CompletableFuture<long[]>> runs = new ArrayList<>();
        for (RawWebSocket ws : clients) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                long[] t = new long[ROUND_TRIPS];
                long next = System.nanoTime();
                try {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        // Paced like a real client (load shaping, not synchronisation).
                        java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                        next += INTERVAL_NANOS;
                        long start = System.nanoTime();
                        ws.send("42" + i + "[\"echo\"," + i + "]");
                        assertThat(ws.nextIgnoringPings()).isEqualTo("43" + i + "[" + i + "]");
                        t[i] = System.nanoTime() - start;
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return t;
            }, pool));
        }
        long[] all = new long[0];
        for (CompletableFuture<long[]> r : runs) {
            long[] t = r.get(120, TimeUnit.SECONDS);
            int n = all.length;
            all = Arrays.copyOf(all, n + t.length);
            System.arraycopy(t, 0, all, n, t.length);
        }
        Arrays.sort(all);
        return all;
    }

    private static double ms(long[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
