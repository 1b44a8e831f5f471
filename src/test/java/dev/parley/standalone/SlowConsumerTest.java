package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineSession;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.settings.SettingSource;
import dev.parley.settings.Settings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 3: 1,000 clients, of which 10 WebSocket clients stop reading (a 4 KiB socket
 * receive buffer, then never read: TCP backs up to the server) and one polling client stops
 * polling, while a publisher broadcasts ticks at a steady rate. The 990 others (raw Engine.IO
 * clients over {@code ws} in one Node process, {@code src/test/node/slow/subscribers.mjs}) measure
 * each tick's delivery latency. A run without the frozen clients, a run with them, and once they are
 * closed a run without them again: with them, the others' p99 stays within 25% of the mean p99 of the
 * two runs without (see {@link #P99_FLOOR_MILLIS}), every one of the 990 gets every
 * tick in order, the frozen ones first lose their volatile packets (dropped, counted) and are then
 * closed as {@code slow consumer} when non-volatile ticks exceed {@code max-buffered-packets} or
 * {@code max-buffered-bytes}, and the heap after GC grows by less than {@link #HEAP_BOUND_BYTES}.
 */
class SlowConsumerTest {

    private static final int HEALTHY = 990;
    private static final int FROZEN = 10;
    /** The bounds of this test: small, so the frozen clients are found within a phase. */
    private static final long MAX_BUFFERED_BYTES = 256 * 1024;
    private static final long MAX_BUFFERED_PACKETS = 64; // 2.5 s of ticks: a healthy client never lags that far
    private static final long TICK_MILLIS = 40; // 25 broadcasts a second, 24,750 deliveries a second
    private static final int WARM_UP_TICKS = 75;
    private static final int PHASE_TICKS = 250; // 10 s a phase
    /**
     * With each tick of the run with frozen clients, a volatile 64 KiB blob to the frozen ones: it
     * fills their connections' kernel buffers (on loopback the server's send buffer grows to some
     * MiB) within seconds, then is dropped, while the ticks pile up until the packet bound.
     */
    private static final String BLOB = "v".repeat(64 * 1024);
    /**
     * p99 may also grow by this many milliseconds: on this 2-core machine shared with other builds,
     * two runs of the same load differ by a few ms of p99 (a GC pause, another process's slice), which
     * at a p99 of 10 ms or so is more than 25%. The rule is p99(with) ≤ max(1.25 × p99(without),
     * p99(without) + 5 ms).
     */
    private static final double P99_FLOOR_MILLIS = 5;
    /**
     * Growth of the heap after GC from before the server started to after both runs, 990 clients
     * still connected: the server, its 1,000 sessions' bookkeeping, the test's HTTP client. Measured
     * as growth because the JVM is shared with other test classes, whose caches (ArchUnit's) stay.
     * A frozen client that kept its backlog would add up to 256 KiB each, a leak per tick far more.
     */
    private static final long HEAP_BOUND_BYTES = 64L << 20;

    private ParleyServer parley;
    private StandaloneServer server;
    private Process node;
    private ScheduledExecutorService publisher;
    private final List<HandMadeWebSocket> frozen = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (publisher != null) {
            publisher.shutdownNow();
        }
        for (HandMadeWebSocket ws : frozen) {
            try {
                ws.close();
            } catch (IOException ignored) {
                // already cut by the server
            }
        }
        if (node != null) {
            node.getOutputStream().close();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (server != null) {
            server.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void frozenClientsAreClosedAsSlowConsumersAndTheOthersAreServedAsBefore() throws Exception {
        long heapBefore = heapAfterGc();
        parley = new ParleyServer(Settings.options(ParleyOptions.defaults(), List.of(SettingSource.of("flag", "--",
                Map.of("max-buffered-bytes", Long.toString(MAX_BUFFERED_BYTES),
                        "max-buffered-packets", Long.toString(MAX_BUFFERED_PACKETS))))));
        Map<String, String> reasons = new ConcurrentHashMap<>();
        Map<String, EngineSession> frozenSessions = new ConcurrentHashMap<>();
        parley.of("/").onConnection(socket -> {
            boolean isFrozen = "frozen".equals(socket.handshake().query().get("role"));
            if (isFrozen) {
                frozenSessions.put(socket.id(), parley.engine().session(socket.connectionId()));
                socket.onDisconnect((reason, description) -> reasons.put(socket.id(), reason.wire()));
                socket.join("frozen");
            }
        });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        BlockingQueue<String> out = startSubscribers(server.port());
        assertThat(out.poll(60, TimeUnit.SECONDS)).as("the subscribers' readiness").isEqualTo("READY " + HEALTHY);

        publisher = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "slow-consumer-test-publisher"));
        runPhase("W", WARM_UP_TICKS, out);
        JsonObject without = runPhase("A", PHASE_TICKS, out);

        for (int i = 0; i < FROZEN; i++) {
            frozen.add(frozenWebSocket(server.port()));
        }
        String pollingSid = frozenPolling(server.port());
        await().atMost(Duration.ofSeconds(10)).until(() -> frozenSessions.size() == FROZEN + 1);
        JsonObject with = runPhase("B", PHASE_TICKS, out);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(reasons)
                .as("frozen sessions: %s", frozenSessions.values().stream().map(s -> s + " dropped "
                        + s.droppedPackets() + " waiting " + s.transport().waitingBytes() + " bytes, "
                        + s.transport().waitingPackets() + " packets").toList())
                .hasSize(FROZEN + 1));
        // The run without frozen clients once more, now that they are gone: the reference is the mean of the
        // runs before and after, so a drift of the machine over the three phases (JIT, GC, a neighbour's load
        // on 2 shared cores) is not taken for the frozen clients' doing.
        JsonObject withoutAfter = runPhase("C", PHASE_TICKS, out);

        double p99Without = (without.getJsonNumber("p99").doubleValue()
                + withoutAfter.getJsonNumber("p99").doubleValue()) / 2;
        double p99With = with.getJsonNumber("p99").doubleValue();
        System.out.printf("SlowConsumerTest: p99 without frozen clients %.2f ms (before %.2f, p50 %.2f, max %.2f; "
                + "after %.2f, p50 %.2f, max %.2f), with %.2f ms (p50 %.2f, max %.2f); %d + %d + %d samples%n",
                p99Without, without.getJsonNumber("p99").doubleValue(), without.getJsonNumber("p50").doubleValue(),
                without.getJsonNumber("max").doubleValue(), withoutAfter.getJsonNumber("p99").doubleValue(),
                withoutAfter.getJsonNumber("p50").doubleValue(), withoutAfter.getJsonNumber("max").doubleValue(),
                p99With, with.getJsonNumber("p50").doubleValue(), with.getJsonNumber("max").doubleValue(),
                without.getInt("samples"), with.getInt("samples"), withoutAfter.getInt("samples"));
        // The frozen ones: volatile packets dropped first (the session stayed), then closed with the reason.
        assertThat(reasons).as("why each frozen client's socket left").hasSize(FROZEN + 1)
                .allSatisfy((id, reason) -> assertThat(reason).isEqualTo("slow consumer"));
        assertThat(parley.engine().session(pollingSid)).as("the polling client that stopped polling").isNull();
        frozenSessions.values().forEach(s -> assertThat(s.state()).isEqualTo(EngineSession.State.CLOSED));
        long dropped = frozenSessions.values().stream().mapToLong(EngineSession::droppedPackets).sum();
        System.out.printf("SlowConsumerTest: %d volatile packets dropped for the frozen clients%n", dropped);
        assertThat(frozenSessions.values().stream().filter(s -> s.transportName().equals("websocket")))
                .as("frozen WebSocket sessions that lost volatile packets before being closed").hasSize(FROZEN)
                .allSatisfy(s -> assertThat(s.droppedPackets()).isPositive());

        // The 990 others: every tick, in order, none closed, and p99 as without the frozen ones.
        for (JsonObject phase : List.of(without, with, withoutAfter)) {
            assertThat(phase.getInt("clients")).isEqualTo(HEALTHY);
            assertThat(phase.getInt("minCount")).as("ticks the least served client got").isEqualTo(PHASE_TICKS);
            assertThat(phase.getInt("maxCount")).isEqualTo(PHASE_TICKS);
            assertThat(phase.getInt("samples")).isEqualTo(HEALTHY * PHASE_TICKS);
            assertThat(phase.getInt("gaps")).as("ticks out of order or missing").isZero();
            assertThat(phase.getInt("unexpectedCloses")).isZero();
        }
        assertThat(p99With).as("p99 ms with frozen clients vs %.2f without", p99Without)
                .isLessThanOrEqualTo(Math.max(1.25 * p99Without, p99Without + P99_FLOOR_MILLIS));
        assertThat(parley.of("/").sockets()).hasSize(HEALTHY);

        // Nothing of the frozen clients' backlogs is kept.
        long[] heap = new long[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            heap[0] = heapAfterGc();
            return heap[0] - heapBefore < HEAP_BOUND_BYTES;
        });
        System.out.printf("SlowConsumerTest: heap after GC %.1f MiB, %.1f MiB before the server started (growth "
                + "bound %d MiB)%n", heap[0] / 1048576.0, heapBefore / 1048576.0, HEAP_BOUND_BYTES >> 20);
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Broadcasts {@code ticks} ticks of {@code phase} at the steady rate; the subscribers' figures for it. */
    private JsonObject runPhase(String phase, int ticks, BlockingQueue<String> out) throws Exception {
        AtomicInteger seq = new AtomicInteger();
        var task = publisher.scheduleAtFixedRate(() -> {
            int n = seq.getAndIncrement();
            if (n < ticks) {
                parley.emit("tick", phase, n, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
                parley.of("/").to("frozen").asVolatile().emit("fill", BLOB);
            }
        }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        try {
            await().atMost(Duration.ofMillis(ticks * TICK_MILLIS + 30_000)).until(() -> seq.get() >= ticks);
        } finally {
            task.cancel(false);
        }
        Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        in.write("await " + phase + " " + ticks + "\n");
        in.flush();
        String line = out.poll(40, TimeUnit.SECONDS);
        assertThat(line).as("the subscribers' figures for phase %s", phase).isNotNull().startsWith("{");
        return Json.createReader(new StringReader(line)).readObject();
    }

    private BlockingQueue<String> startSubscribers(int port) throws IOException {
        File dir = new File("src/test/node");
        if (!new File(dir, "node_modules/ws").isDirectory()) {
            throw new AssertionError(dir + "/node_modules is missing: run `npm ci` there (Maven does it in "
                    + "generate-test-resources), with Node.js 20+ installed");
        }
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("parley.node", "node"), "slow/subscribers.mjs")
                .directory(dir).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PARLEY_URL", "ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket");
        pb.environment().put("CLIENTS", Integer.toString(HEALTHY));
        try {
            node = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start node: install Node.js 20+ (apt-get install nodejs npm)", e);
        }
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "slow-consumer-test-node-output");
        pump.setDaemon(true);
        pump.start();
        return lines;
    }

    /** Connects and never reads again; a 4 KiB receive buffer backs TCP up soon. */
    private static HandMadeWebSocket frozenWebSocket(int port) throws IOException {
        HandMadeWebSocket ws = HandMadeWebSocket.open("127.0.0.1", port,
                "/socket.io/?EIO=4&transport=websocket&role=frozen", 4096);
        assertThat(ws.readText()).startsWith("0{");
        ws.sendText("40");
        assertThat(ws.readText()).startsWith("40{");
        return ws;
    }

    /** Opens a polling session, connects to "/", and never polls again; returns its sid. */
    private static String frozenPolling(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // no h2c upgrade header
        String base = "http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling";
        String open = http.send(HttpRequest.newBuilder(URI.create(base + "&role=frozen")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(open).startsWith("0{\"sid\":\"");
        String sid = open.substring(9, open.indexOf('"', 9));
        int status = http.send(HttpRequest.newBuilder(URI.create(base + "&sid=" + sid))
                .POST(HttpRequest.BodyPublishers.ofString("40")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).isEqualTo(200);
        return sid;
    }
}
