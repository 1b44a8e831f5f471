package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.testing.CuttingProxy;
import dev.parley.testing.NoUpgradeProxy;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fault test with real faults and no mocks (issue 14, item 12): the PACKAGED standalone jar in {@code --bench} mode
 * as a separate process with recovery on, 50 Parley Java clients in this JVM and 50 official socket.io-client 4.8
 * clients in one Node process ({@code src/test/node/fault/fault-clients.mjs}: websocket, polling, polling upgraded),
 * all through {@link CuttingProxy} instances (five per kind, so a fault hits a subset), and a publisher connected
 * directly.
 *
 * <ol>
 * <li>Stream: the publisher emits 10,000 {@code bench} events {@code {seq}} at a steady rate while seeded random
 * faults hit the proxies (cut with RST, strand: client side reset while the server's side stays open and silent, so
 * the recovery arrives before the server noticed; freeze long enough for the heartbeat; delay). Every client that
 * loses its connection emits a buffered {@code {from, n}}. Each of the 100 clients must end with all 10,000 in order,
 * no duplicates, every buffered emit of every client exactly once, and every reconnect recovered.</li>
 * <li>Kill and restart: the server process is killed ({@code destroyForcibly}), clients emit while it is down, it is
 * started again on the same port. Every client reconnects with {@code recovered} false (the recovery log died with
 * the process) and rejoins room {@code bench} (a short stream after reaches all). Without a log, a broadcast reaches
 * only the clients back at that moment: the buffered emits are therefore checked exactly once at an observer that
 * is back before any client (the publisher), and at most once at every client.</li>
 * <li>A proxy that refuses WebSocket upgrades ({@link NoUpgradeProxy}): clients whose transports are polling then
 * websocket keep working on polling, a stream of 1,000 received whole across a cut (new connections refused until
 * every client saw its loss), every client recovered.</li>
 * </ol>
 * Prints the counts and reconnect times (median, p99, max) per client kind.
 */
class FaultIT {

    private static final int JAVA_CLIENTS = 50;
    private static final int JS_CLIENTS = 50;
    private static final int PROXIES_PER_KIND = 5;
    private static final int STREAM = 10_000;
    private static final int AFTER_RESTART = 100;
    private static final int NO_UPGRADE_STREAM = 1_000;
    private static final int NO_UPGRADE_CLIENTS = 10;
    /**
     * Events per publisher tick, and the tick: 10,000 in about 50 s. Faster (30 s) saturated this machine's two
     * cores: the 50 JS clients share one Node event loop, which then ran up to a second late (p99 0.4 s), answered
     * the server's pings after its 2 s timeout (now 3 s), and lost sessions no fault had touched (with the emits in
     * flight).
     */
    private static final int PER_TICK = 2;
    private static final long TICK_MILLIS = 10;
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** The client kinds that join phase 3 (WebSocket upgrades refused). */
    enum Kind { JAVA, JS }

    private static final List<Kind> NO_UPGRADE_KINDS = List.of(Kind.JS, Kind.JAVA);

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "fault-it-scheduler");
        t.setDaemon(true);
        return t;
    });
    private Process server;
    private int port;
    private Path log;

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
        Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void everyClientGetsEveryEventOnceInOrderAcrossRealFaults() throws Exception {
        long seed = Long.getLong("fault.seed", System.nanoTime());
        System.out.println("[FaultIT] seed " + seed + " (rerun with -Dfault.seed=" + seed + ")");
        Random random = new Random(seed);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        File work = new File("target/it-fault");
        work.mkdirs();
        log = work.toPath().resolve("server.log");
        startServer();

        List<CuttingProxy> javaProxies = proxies();
        List<CuttingProxy> jsProxies = proxies();
        List<JavaClient> javas = new ArrayList<>();
        for (int i = 0; i < JAVA_CLIENTS; i++) {
            javas.add(new JavaClient("java-" + i, javaProxies.get(i % PROXIES_PER_KIND).port(), javaTransports(i),
                    0));
        }
        for (JavaClient c : javas) {
            c.socket.connected().get(30, TimeUnit.SECONDS);
        }
        NodeClients js = new NodeClients(jsProxies, JS_CLIENTS, null, 0);
        js.command("ready", "ready", Duration.ofSeconds(60));
        Publisher publisher = new Publisher();

        // ---------------------------------------------------------------- phase 1: the stream under faults
        Faults faults = new Faults(random, javaProxies, jsProxies);
        long started = System.nanoTime();
        CompletableFuture<Void> streamed = publisher.stream(0, STREAM);
        faults.startUntil(streamed);
        streamed.get(120, TimeUnit.SECONDS);
        faults.stop();
        long streamMillis = (System.nanoTime() - started) / 1_000_000;

        try {
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonObject report = js.report();
                Set<String> expected = buffered(javas, report);
                return javas.stream().allMatch(c -> c.complete(STREAM, expected))
                        && clients(report).stream().allMatch(c -> jsComplete(c, STREAM, expected));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            JsonObject last = js.report();
            throw new AssertionError("phase 1 not complete: " + incomplete(javas, last, STREAM)
                    + "\n  the JS clients' event loop delay (ms): " + last.get("loopDelayMs")
                    + "\n  faults (client i is on proxy i % " + PROXIES_PER_KIND + " of its kind): " + faults.log
                    + "\n  the senders' sessions in the server's log (clock 0 = "
                    + java.time.Instant.ofEpochMilli(startedEpochMillis) + ", " + log + "):\n" + serverLines(last), e);
        }
        JsonObject report = js.report();
        Set<String> expected = buffered(javas, report);
        System.out.printf("[FaultIT] phase 1: %d events in %d ms; faults: %s; JS clients' event loop delay (ms) %s; "
                + "faults injected (time on the clients' clock, kind, proxy; client i is on proxy i %% %d of its kind): "
                + "%s%n", STREAM, streamMillis, faults, report.get("loopDelayMs"), PROXIES_PER_KIND, faults.log);
        printSummary("Java", javas.size(), STREAM, javaStats(javas, "stream", expected), faults.javaCuts,
                faults.javaStrands, faults.javaFreezes, faults.javaDelays);
        printSummary("JS", JS_CLIENTS, STREAM, jsStats(report, "stream", expected), faults.jsCuts, faults.jsStrands,
                faults.jsFreezes, faults.jsDelays);
        for (JavaClient c : javas) {
            assertThat(c.next).as(c.id + " events").isEqualTo(STREAM);
            assertThat(c.duplicates).as(c.id + " duplicates").isZero();
            assertThat(c.gaps).as(c.id + " missing: " + c.log).isZero();
            assertThat(c.notRecovered.getOrDefault("stream", 0)).as(c.id + " reconnects not recovered").isZero();
            assertThat(c.bufferedCounts()).as(c.id + " buffered emits").isEqualTo(exactlyOnce(expected));
        }
        for (JsonObject c : clients(report)) {
            String id = c.getString("id");
            assertThat(c.getInt("next")).as(id + " events").isEqualTo(STREAM);
            assertThat(c.getInt("duplicates")).as(id + " duplicates").isZero();
            assertThat(c.getInt("gaps")).as(id + " missing").isZero();
            assertThat(count(c.getJsonObject("notRecovered"), "stream")).as(id + " reconnects not recovered").isZero();
            assertThat(counts(c.getJsonObject("buffered"))).as(id + " buffered emits").isEqualTo(exactlyOnce(expected));
        }
        assertThat(faults.total()).as("faults injected").isGreaterThan(0);
        int javaReconnects = javas.stream().mapToInt(c -> c.reconnects.getOrDefault("stream", 0)).sum();
        int jsReconnects = clients(report).stream().mapToInt(c -> count(c.getJsonObject("reconnects"), "stream")).sum();
        assertThat(javaReconnects).as("Java clients reconnected under the faults").isGreaterThan(0);
        assertThat(jsReconnects).as("JS clients reconnected under the faults").isGreaterThan(0);

        // ---------------------------------------------------------------- phase 2: kill -9 and restart
        String phase2 = "restart";
        javas.forEach(c -> c.phase = phase2);
        js.command("phase " + phase2, "phase", Duration.ofSeconds(10));
        Set<String> bufferedBefore = new HashSet<>(expected);
        List<CuttingProxy> all = new ArrayList<>(javaProxies);
        all.addAll(jsProxies);
        all.forEach(p -> p.refuse(true)); // so that the observer is back before any client
        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        await().atMost(WAIT).until(() -> javas.stream().allMatch(c -> !c.socket.isConnected())
                && clients(js.report()).stream().noneMatch(c -> c.getBoolean("connected")));
        startServer();
        await().atMost(WAIT).until(() -> publisher.socket.isConnected());
        all.forEach(p -> p.refuse(false));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> javas.stream()
                .allMatch(c -> c.socket.isConnected())
                && clients(js.report()).stream().allMatch(c -> c.getBoolean("connected")));
        long restartMillis = (System.nanoTime() - killedAt) / 1_000_000;
        publisher.stream(STREAM, STREAM + AFTER_RESTART).get(60, TimeUnit.SECONDS);
        int afterRestart = STREAM + AFTER_RESTART;
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> javas.stream()
                .allMatch(c -> c.next == afterRestart)
                && clients(js.report()).stream().allMatch(c -> c.getInt("next") == afterRestart));
        JsonObject report2 = js.report();
        Set<String> sentWhileDown = buffered(javas, report2);
        sentWhileDown.removeAll(bufferedBefore);
        await().atMost(WAIT).until(() -> publisher.bufferedCounts().keySet().containsAll(sentWhileDown));
        Map<String, Integer> atObserver = new HashMap<>(publisher.bufferedCounts());
        atObserver.keySet().retainAll(sentWhileDown);
        int minAtClient = Integer.MAX_VALUE;
        for (JavaClient c : javas) {
            assertThat(c.duplicates).as(c.id + " duplicates").isZero();
            assertThat(c.gaps).as(c.id + " missing").isZero();
            assertThat(c.reconnects.getOrDefault(phase2, 0)).as(c.id + " reconnected").isGreaterThan(0);
            assertThat(c.recovered.getOrDefault(phase2, 0)).as(c.id + " recovered after a restart").isZero();
            assertThat(c.bufferedCounts().values()).as(c.id + " buffered emits at most once").allMatch(n -> n == 1);
            minAtClient = Math.min(minAtClient, countIn(c.bufferedCounts(), sentWhileDown));
        }
        for (JsonObject c : clients(report2)) {
            String id = c.getString("id");
            assertThat(c.getInt("duplicates")).as(id + " duplicates").isZero();
            assertThat(c.getInt("gaps")).as(id + " missing").isZero();
            assertThat(count(c.getJsonObject("reconnects"), phase2)).as(id + " reconnected").isGreaterThan(0);
            assertThat(count(c.getJsonObject("recovered"), phase2)).as(id + " recovered after a restart").isZero();
            Map<String, Integer> counts = counts(c.getJsonObject("buffered"));
            assertThat(counts.values()).as(id + " buffered emits at most once").allMatch(n -> n == 1);
            minAtClient = Math.min(minAtClient, countIn(counts, sentWhileDown));
        }
        assertThat(sentWhileDown).as("emits buffered while the server was down").hasSizeGreaterThanOrEqualTo(
                JAVA_CLIENTS + JS_CLIENTS);
        assertThat(atObserver).as("each emit buffered while down, once at the observer")
                .isEqualTo(exactlyOnce(sentWhileDown));
        System.out.printf("[FaultIT] phase 2 (kill -9, restart on port %d): all %d clients back in %d ms, recovered 0 "
                + "(the log died with the process); emits buffered while down %d, at the observer %d (each once), "
                + "at each client %d..%d (none twice); then %d events to room bench: every client all, duplicates 0, "
                + "missing 0%n", port, JAVA_CLIENTS + JS_CLIENTS, restartMillis, sentWhileDown.size(),
                atObserver.size(), minAtClient, sentWhileDown.size(), AFTER_RESTART);
        printSummary("Java", javas.size(), AFTER_RESTART, javaStats(javas, phase2, sentWhileDown), 0, 0, 0, 0);
        printSummary("JS", JS_CLIENTS, AFTER_RESTART, jsStats(report2, phase2, sentWhileDown), 0, 0, 0, 0);

        // ---------------------------------------------------------------- phase 3: WebSocket upgrades refused
        if (NO_UPGRADE_KINDS.contains(Kind.JS)) {
            noUpgradePhase(publisher, afterRestart);
        }
    }

    /**
     * Clients through a proxy that refuses WebSocket upgrades (403): JS clients (polling then websocket) and Java
     * clients, half polling then websocket (the probe refused), half WebSocket first (the handshake refused, then
     * polling); all stay on polling, are told of the fallback (Java), and lose nothing across a cut.
     */
    private void noUpgradePhase(Publisher publisher, int firstSeq) throws Exception {
        NoUpgradeProxy proxy = new NoUpgradeProxy(port);
        closing.add(proxy);
        NodeClients js = new NodeClients(List.of(proxy.port()), NO_UPGRADE_CLIENTS, "polling,websocket", firstSeq);
        js.command("ready", "ready", Duration.ofSeconds(60));
        js.command("phase no-upgrade", "phase", Duration.ofSeconds(10));
        List<JavaClient> javas = new ArrayList<>();
        if (NO_UPGRADE_KINDS.contains(Kind.JAVA)) {
            for (int i = 0; i < NO_UPGRADE_CLIENTS; i++) {
                List<String> transports = i % 2 == 0 ? List.of(ClientOptions.POLLING, ClientOptions.WEBSOCKET)
                        : List.of(ClientOptions.WEBSOCKET, ClientOptions.POLLING);
                JavaClient c = new JavaClient("java-no-upgrade-" + i, proxy.port(), transports, firstSeq);
                c.phase = "no-upgrade";
                javas.add(c);
            }
            for (JavaClient c : javas) {
                c.socket.connected().get(30, TimeUnit.SECONDS);
            }
        }
        int end = firstSeq + NO_UPGRADE_STREAM;
        CompletableFuture<Void> streamed = publisher.stream(firstSeq, end);
        await().atMost(WAIT).until(() -> clients(js.report()).stream().allMatch(c -> c.getInt("next") >= firstSeq + 300)
                && javas.stream().allMatch(c -> c.next >= firstSeq + 300));
        // A cut alone resets the HTTP connections open at that moment; a client between two requests would open a
        // new one and notice nothing. Refusing new connections until every client saw its loss makes it one for all.
        proxy.refuse(true);
        proxy.cut();
        await().atMost(WAIT).until(() -> clients(js.report()).stream().allMatch(c -> !c.getJsonObject("reasons")
                .isEmpty()) && javas.stream().allMatch(c -> c.losses > 0));
        proxy.refuse(false);
        streamed.get(60, TimeUnit.SECONDS);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> clients(js.report()).stream()
                .allMatch(c -> c.getInt("next") == end && c.getBoolean("connected"))
                && javas.stream().allMatch(c -> c.next == end && c.socket.isConnected()));
        JsonObject report = js.report();
        for (JsonObject c : clients(report)) {
            String id = c.getString("id");
            assertThat(c.getString("transport")).as(id + " transport").isEqualTo("polling");
            assertThat(c.getInt("received")).as(id + " events").isEqualTo(NO_UPGRADE_STREAM);
            assertThat(c.getInt("duplicates")).as(id + " duplicates").isZero();
            assertThat(c.getInt("gaps")).as(id + " missing").isZero();
            assertThat(count(c.getJsonObject("reconnects"), "no-upgrade")).as(id + " reconnected: " + c).isGreaterThan(0);
            assertThat(count(c.getJsonObject("notRecovered"), "no-upgrade")).as(id + " not recovered").isZero();
        }
        for (JavaClient c : javas) {
            assertThat(c.client.transport()).as(c.id + " transport").isEqualTo(ClientOptions.POLLING);
            assertThat(c.fallbacks).as(c.id + " told of the fallback").isNotEmpty();
            assertThat(c.next).as(c.id + " events").isEqualTo(end);
            assertThat(c.duplicates).as(c.id + " duplicates").isZero();
            assertThat(c.gaps).as(c.id + " missing").isZero();
            assertThat(c.reconnects.getOrDefault("no-upgrade", 0)).as(c.id + " reconnected").isGreaterThan(0);
            assertThat(c.notRecovered.getOrDefault("no-upgrade", 0)).as(c.id + " reconnects not recovered").isZero();
        }
        assertThat(proxy.refusedUpgrades()).as("upgrades refused").isGreaterThanOrEqualTo(NO_UPGRADE_CLIENTS
                + javas.size());
        System.out.printf("[FaultIT] phase 3 (WebSocket upgrades refused by the proxy, %d answered 403): %d JS "
                + "clients on polling, %d events each across a cut, duplicates 0, missing 0, reconnects recovered %d/%d; "
                + "%d Java clients (half probing, half WebSocket first) told of the fallback and on polling, %d events "
                + "each, duplicates 0, missing 0, reconnects recovered %d/%d%n", proxy.refusedUpgrades(),
                NO_UPGRADE_CLIENTS, NO_UPGRADE_STREAM, clients(report).stream()
                        .mapToInt(c -> count(c.getJsonObject("recovered"), "no-upgrade")).sum(),
                clients(report).stream().mapToInt(c -> count(c.getJsonObject("reconnects"), "no-upgrade")).sum(),
                javas.size(), NO_UPGRADE_STREAM,
                javas.stream().mapToInt(c -> c.recovered.getOrDefault("no-upgrade", 0)).sum(),
                javas.stream().mapToInt(c -> c.reconnects.getOrDefault("no-upgrade", 0)).sum());
        js.close();
    }

    // ---------------------------------------------------------------- the server process

    private void startServer() throws Exception {
        File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        long from = Files.exists(log) ? Files.size(log) : 0;
        String line = "benchmark server listening on http://127.0.0.1:" + port + "/";
        // Session closes logged (FINE, with their reasons and the client's clock) for a failure's message.
        Path logging = log.resolveSibling("logging.properties");
        Files.writeString(logging, "handlers=java.util.logging.ConsoleHandler\n"
                + "java.util.logging.ConsoleHandler.level=FINE\n"
                + "java.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n\n"
                + "dev.parley.engine.EngineSession.level=FINE\n"
                + "dev.parley.transport.polling.PollResponse.level=FINE\n");
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.util.logging.config.file=" + logging.toAbsolutePath(), "-jar", jar.getAbsolutePath(), "--bench", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--recovery-max-disconnection", "120000", "--recovery-max-packets", "100000",
                // a frozen connection is noticed in about 4 s, by the client's heartbeat or the server's; a pong
                // may come up to 3 s late (the JS clients' shared event loop lags when the machine is saturated)
                "--ping-interval", "1000", "--ping-timeout", "3000")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Process started = server;
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!started.isAlive()) {
                throw new AssertionError("the server exited (" + started.exitValue() + "): " + Files.readString(log));
            }
            String text = Files.readString(log);
            return text.length() > from && text.substring((int) from).contains(line);
        });
    }

    private List<CuttingProxy> proxies() throws IOException {
        List<CuttingProxy> out = new ArrayList<>();
        for (int i = 0; i < PROXIES_PER_KIND; i++) {
            CuttingProxy p = new CuttingProxy(port);
            closing.add(p);
            out.add(p);
        }
        return out;
    }

    // ---------------------------------------------------------------- faults

    /**
     * Seeded random faults on the proxies, one about every 700 ms, never on a proxy faulted in the last 10 s (its
     * clients are back and have flushed what they buffered before the next one): a cut (RST both ways), a strand
     * (the client's side reset, the server's left open and silent: the client is back within its backoff, long
     * before the server's 4 s ping timeout, so its recovery finds the old socket still connected), a freeze
     * (silence until a heartbeat gives up, about 4 s), or a delay of 50 ms on every chunk for 2 s.
     */
    private final class Faults {
        private final Random random;
        private final List<CuttingProxy> javaProxies;
        private final List<CuttingProxy> jsProxies;
        private final Map<CuttingProxy, Long> lastFault = new ConcurrentHashMap<>();
        /** Each fault injected: when (the clients' clock), what, on which proxy; printed when a phase fails. */
        final List<String> log = new CopyOnWriteArrayList<>();
        private volatile boolean stopped;
        int javaCuts;
        int javaStrands;
        int javaFreezes;
        int javaDelays;
        int jsCuts;
        int jsStrands;
        int jsFreezes;
        int jsDelays;

        Faults(Random random, List<CuttingProxy> javaProxies, List<CuttingProxy> jsProxies) {
            this.random = random;
            this.javaProxies = javaProxies;
            this.jsProxies = jsProxies;
        }

        void startUntil(CompletableFuture<Void> streamed) {
            scheduleNext(streamed);
        }

        private void scheduleNext(CompletableFuture<Void> streamed) {
            long delay = 400 + random.nextInt(600);
            scheduler.schedule(() -> {
                if (stopped || streamed.isDone()) {
                    return;
                }
                inject();
                scheduleNext(streamed);
            }, delay, TimeUnit.MILLISECONDS);
        }

        private synchronized void inject() {
            boolean java = random.nextBoolean();
            List<CuttingProxy> pool = java ? javaProxies : jsProxies;
            CuttingProxy proxy = pool.get(random.nextInt(pool.size()));
            int kind = random.nextInt(10);
            long now = System.nanoTime();
            Long last = lastFault.get(proxy);
            if (last != null && now - last < TimeUnit.SECONDS.toNanos(10)) {
                return;
            }
            lastFault.put(proxy, now);
            log.add(elapsed() + " " + (kind < 4 ? "cut" : kind < 6 ? "strand" : kind < 8 ? "freeze" : "delay") + " "
                    + (java ? "java" : "js") + " proxy " + pool.indexOf(proxy));
            if (kind < 4) {
                proxy.cut();
                if (java) {
                    javaCuts++;
                } else {
                    jsCuts++;
                }
            } else if (kind < 6) {
                proxy.strand();
                if (java) {
                    javaStrands++;
                } else {
                    jsStrands++;
                }
            } else if (kind < 8) {
                proxy.freeze();
                if (java) {
                    javaFreezes++;
                } else {
                    jsFreezes++;
                }
            } else {
                proxy.delay(50);
                scheduler.schedule(() -> proxy.delay(0), 2, TimeUnit.SECONDS);
                if (java) {
                    javaDelays++;
                } else {
                    jsDelays++;
                }
            }
        }

        void stop() {
            stopped = true;
        }

        synchronized int total() {
            return javaCuts + javaStrands + javaFreezes + javaDelays + jsCuts + jsStrands + jsFreezes + jsDelays;
        }

        @Override
        public synchronized String toString() {
            return "Java proxies " + javaCuts + " cuts, " + javaStrands + " strands, " + javaFreezes + " freezes, "
                    + javaDelays + " delays; JS proxies " + jsCuts + " cuts, " + jsStrands + " strands, " + jsFreezes
                    + " freezes, " + jsDelays + " delays";
        }
    }

    // ---------------------------------------------------------------- clients

    private final long startedNanos = System.nanoTime();
    private final long startedEpochMillis = System.currentTimeMillis();

    private String elapsed() {
        return String.format("%.3f", (System.nanoTime() - startedNanos) / 1e9);
    }

    private ClientOptions clientOptions() {
        return ClientOptions.defaults().reconnectionDelay(100).reconnectionDelayMax(500).connectTimeout(5000);
    }

    /** Phase 1's Java clients by index, as the JS ones: WebSocket only, polling only, polling then upgraded. */
    private static List<String> javaTransports(int i) {
        return List.of(List.of(ClientOptions.WEBSOCKET), List.of(ClientOptions.POLLING),
                List.of(ClientOptions.POLLING, ClientOptions.WEBSOCKET)).get(i % 3);
    }

    /** The direct client that streams {@code {seq}} and observes the buffered emits. */
    private final class Publisher {
        final ParleyClient client;
        final ClientSocket socket;
        private final Map<String, Integer> buffered = new ConcurrentHashMap<>();

        Publisher() throws Exception {
            client = ParleyClient.connect(URI.create("http://127.0.0.1:" + port),
                    clientOptions().transports(List.of(ClientOptions.WEBSOCKET)));
            closing.add(client);
            socket = client.socket("/", null, s -> s.on("bench", (args, reply) -> {
                JsonObject o = args.getJson(0).asJsonObject();
                if (o.containsKey("from")) {
                    buffered.merge(o.getString("from") + ":" + o.getInt("n"), 1, Integer::sum);
                }
            }));
            socket.connected().get(30, TimeUnit.SECONDS);
        }

        Map<String, Integer> bufferedCounts() {
            return buffered;
        }

        /** Emits {@code {seq}} for seq in [from, to) at the steady rate; completes after the last. */
        CompletableFuture<Void> stream(int from, int to) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicInteger next = new AtomicInteger(from);
            var task = scheduler.scheduleAtFixedRate(() -> {
                try {
                    for (int i = 0; i < PER_TICK && next.get() < to; i++) {
                        socket.emit("bench", Map.of("seq", next.getAndIncrement()));
                    }
                    if (next.get() >= to) {
                        done.complete(null);
                    }
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
            done.whenComplete((v, e) -> task.cancel(false));
            return done;
        }
    }

    /** One Parley Java client through a proxy, checking what it receives as it comes (on its callback thread). */
    private final class JavaClient {
        final String id;
        final ParleyClient client;
        final ClientSocket socket;
        volatile String phase = "stream";
        volatile int next;
        volatile int duplicates;
        volatile int gaps;
        private final Map<String, Integer> buffered = new ConcurrentHashMap<>();
        final Map<String, Integer> reconnects = new ConcurrentHashMap<>();
        final Map<String, Integer> recovered = new ConcurrentHashMap<>();
        final Map<String, Integer> notRecovered = new ConcurrentHashMap<>();
        final Map<String, List<Long>> reconnectMillis = new ConcurrentHashMap<>();
        final Set<String> sent = ConcurrentHashMap.newKeySet();
        private volatile long lostAt;
        private volatile int connects;
        final List<String> fallbacks = new CopyOnWriteArrayList<>();
        volatile int losses;
        /** What happened to this client, for the failure message (as the JS clients' log). */
        final List<String> log = new CopyOnWriteArrayList<>();

        JavaClient(String id, int proxyPort, List<String> transports, int firstSeq) throws Exception {
            this.id = id;
            this.next = firstSeq;
            client = ParleyClient.connect(URI.create("http://127.0.0.1:" + proxyPort),
                    clientOptions().transports(transports));
            client.onTransportFallback(fallbacks::add);
            closing.add(client);
            socket = client.socket("/", null, s -> s
                    .on("bench", (args, reply) -> onBench(args.getJson(0).asJsonObject()))
                    .onConnect(this::onConnect)
                    .onDisconnect(this::onDisconnect));
        }

        private void onBench(JsonObject o) {
            if (o.containsKey("seq")) {
                int seq = o.getInt("seq");
                if (seq == next) {
                    next = seq + 1;
                } else if (seq < next) {
                    duplicates++;
                } else {
                    log.add(elapsed() + " gap: expected " + next + ", got " + seq + " on " + client.transport());
                    gaps += seq - next;
                    next = seq + 1;
                }
            } else {
                buffered.merge(o.getString("from") + ":" + o.getInt("n"), 1, Integer::sum);
            }
        }

        private void onConnect() {
            log.add(elapsed() + " connect recovered=" + socket.recovered() + " next=" + next + " on "
                    + client.transport());
            if (++connects > 1) {
                reconnects.merge(phase, 1, Integer::sum);
                (socket.recovered() ? recovered : notRecovered).merge(phase, 1, Integer::sum);
                reconnectMillis.computeIfAbsent(phase, p -> new CopyOnWriteArrayList<>())
                        .add((System.nanoTime() - lostAt) / 1_000_000);
            }
        }

        private void onDisconnect(String reason) {
            lostAt = System.nanoTime();
            losses++;
            log.add(elapsed() + " disconnect " + reason + " next=" + next);
            if (reason.equals("io client disconnect")) {
                return; // closed by the test at its end: nothing to buffer for
            }
            int n = sent.size();
            sent.add(id + ":" + n);
            socket.emit("bench", Map.of("from", id, "n", n)); // buffered until the next connect
        }

        Map<String, Integer> bufferedCounts() {
            return new HashMap<>(buffered);
        }

        boolean complete(int events, Set<String> expected) {
            return next == events && socket.isConnected() && buffered.keySet().containsAll(expected);
        }
    }

    /** The official socket.io-client 4.8 clients, in one Node process driven over stdin/stdout. */
    private final class NodeClients implements AutoCloseable {
        private final Process process;
        private final Writer in;
        private final BlockingQueue<JsonObject> answers = new LinkedBlockingQueue<>();

        NodeClients(List<?> proxies, int count, String transports, int firstSeq) throws IOException {
            File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
            StringBuilder ports = new StringBuilder();
            for (Object p : proxies) {
                ports.append(ports.isEmpty() ? "" : ",").append(p instanceof CuttingProxy c ? c.port() : p);
            }
            ProcessBuilder pb = new ProcessBuilder(System.getProperty("parley.node", "node"), "fault/fault-clients.mjs")
                    .directory(dir).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("FAULT_PORTS", ports.toString());
            pb.environment().put("FAULT_EPOCH", Long.toString(startedEpochMillis)); // one clock for both logs
            pb.environment().put("FAULT_CLIENTS", Integer.toString(count));
            pb.environment().put("FAULT_FIRST_SEQ", Integer.toString(firstSeq));
            if (transports != null) {
                pb.environment().put("FAULT_TRANSPORTS", transports);
            }
            process = pb.start();
            closing.add(this);
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("{")) {
                            try (JsonReader json = Json.createReader(new StringReader(line))) {
                                answers.add(json.readObject());
                            }
                        } else {
                            System.out.println("[fault-clients] " + line);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "fault-it-node-output");
            reader.setDaemon(true);
            reader.start();
        }

        synchronized JsonObject command(String line, String answerType, Duration timeout) throws Exception {
            answers.clear();
            in.write(line + "\n");
            in.flush();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                JsonObject a = answers.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (a == null) {
                    throw new AssertionError("no \"" + answerType + "\" from fault-clients.mjs within " + timeout
                            + (process.isAlive() ? "" : " (it exited " + process.exitValue() + ")"));
                }
                if (a.getString("type").equals(answerType)) {
                    return a;
                }
            }
        }

        JsonObject report() throws Exception {
            return command("report", "report", Duration.ofSeconds(30));
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                try {
                    command("close", "closed", Duration.ofSeconds(10));
                } catch (Exception | AssertionError ignored) {
                    // it is destroyed below anyway
                }
                process.waitFor(5, TimeUnit.SECONDS);
            }
            process.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- counting and printing

    /** The server's lines (session closes, logged at FINE) about the sessions the JS clients' logs name. */
    private String serverLines(JsonObject report) throws IOException {
        Set<String> sids = new HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("sid=([A-Za-z0-9_-]+)")
                .matcher(report.toString());
        while (m.find()) {
            sids.add(m.group(1));
        }
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("session ");
            if (at >= 0 && sids.stream().anyMatch(line::contains)) {
                out.append("    ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** The clients not complete yet, described (for a timeout's message). */
    private static String incomplete(List<JavaClient> javas, JsonObject report, int events) {
        Set<String> expected = buffered(javas, report);
        List<String> out = new ArrayList<>();
        for (JavaClient c : javas) {
            if (!c.complete(events, expected)) {
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(c.bufferedCounts().keySet());
                out.add(c.id + " next=" + c.next + " connected=" + c.socket.isConnected() + " dups=" + c.duplicates
                        + " gaps=" + c.gaps + " reconnects=" + c.reconnects + " notRecovered=" + c.notRecovered
                        + " missingBuffered=" + missing);
            }
        }
        for (JsonObject c : clients(report)) {
            if (!jsComplete(c, events, expected)) {
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(c.getJsonObject("buffered").keySet());
                out.add(c.getString("id") + " (" + c.getString("mode") + ") next=" + c.getInt("next") + " connected="
                        + c.getBoolean("connected") + " dups=" + c.getInt("duplicates") + " gaps=" + c.getInt("gaps")
                        + " reconnects=" + c.get("reconnects") + " notRecovered=" + c.get("notRecovered")
                        + " reasons=" + c.get("reasons") + " missingBuffered=" + missing);
            }
        }
        // the senders of the buffered emits some client misses, with their event logs
        Set<String> senders = new HashSet<>();
        for (JavaClient c : javas) {
            expected.stream().filter(k -> !c.bufferedCounts().containsKey(k)).map(k -> k.substring(0, k.indexOf(':')))
                    .forEach(senders::add);
        }
        for (JsonObject c : clients(report)) {
            if (senders.contains(c.getString("id"))) {
                out.add(0, "sender " + c.getString("id") + " (" + c.getString("mode") + "): " + c.get("log"));
            }
        }
        for (JavaClient c : javas) {
            if (senders.contains(c.id)) {
                out.add(0, "sender " + c.id + ": reconnects " + c.reconnects + ", sent " + c.sent);
            }
        }
        return out.size() + " of " + (javas.size() + clients(report).size()) + " clients:\n  "
                + String.join("\n  ", out.subList(0, Math.min(out.size(), 20)));
    }

    private static List<JsonObject> clients(JsonObject report) {
        return report.getJsonArray("clients").getValuesAs(JsonObject.class);
    }

    private static boolean jsComplete(JsonObject c, int events, Set<String> expected) {
        return c.getInt("next") == events && c.getBoolean("connected")
                && c.getJsonObject("buffered").keySet().containsAll(expected);
    }

    /** Every buffered emit sent so far, by Java and JS clients, as "from:n". */
    private static Set<String> buffered(List<JavaClient> javas, JsonObject report) {
        Set<String> out = new HashSet<>();
        javas.forEach(c -> out.addAll(c.sent));
        for (JsonObject c : clients(report)) {
            for (int n = 0; n < c.getInt("sent"); n++) {
                out.add(c.getString("id") + ":" + n);
            }
        }
        return out;
    }

    private static Map<String, Integer> exactlyOnce(Set<String> keys) {
        Map<String, Integer> out = new HashMap<>();
        keys.forEach(k -> out.put(k, 1));
        return out;
    }

    private static Map<String, Integer> counts(JsonObject o) {
        Map<String, Integer> out = new HashMap<>();
        o.forEach((k, v) -> out.put(k, ((jakarta.json.JsonNumber) v).intValue()));
        return out;
    }

    private static int count(JsonObject o, String key) {
        return o.containsKey(key) ? o.getInt(key) : 0;
    }

    private static int countIn(Map<String, Integer> counts, Set<String> keys) {
        int n = 0;
        for (String k : keys) {
            n += counts.containsKey(k) ? 1 : 0;
        }
        return n;
    }

    /** Totals of one client kind for one phase. */
    private record Stats(long events, int duplicates, int missing, int reconnects, int recovered, int bufferedSent,
                         long bufferedReceived, List<Long> reconnectMillis) {
    }

    private static Stats javaStats(List<JavaClient> javas, String phase, Set<String> expected) {
        long events = 0;
        int dups = 0;
        int missing = 0;
        int reconnects = 0;
        int recovered = 0;
        int sent = 0;
        long received = 0;
        List<Long> millis = new ArrayList<>();
        for (JavaClient c : javas) {
            events += c.next;
            dups += c.duplicates;
            missing += c.gaps;
            reconnects += c.reconnects.getOrDefault(phase, 0);
            recovered += c.recovered.getOrDefault(phase, 0);
            sent += c.sent.size();
            received += countIn(c.bufferedCounts(), expected);
            millis.addAll(c.reconnectMillis.getOrDefault(phase, List.of()));
        }
        return new Stats(events, dups, missing, reconnects, recovered, sent, received, millis);
    }

    private static Stats jsStats(JsonObject report, String phase, Set<String> expected) {
        long events = 0;
        int dups = 0;
        int missing = 0;
        int reconnects = 0;
        int recovered = 0;
        int sent = 0;
        long received = 0;
        List<Long> millis = new ArrayList<>();
        for (JsonObject c : clients(report)) {
            events += c.getInt("next");
            dups += c.getInt("duplicates");
            missing += c.getInt("gaps");
            reconnects += count(c.getJsonObject("reconnects"), phase);
            recovered += count(c.getJsonObject("recovered"), phase);
            sent += c.getInt("sent");
            received += countIn(counts(c.getJsonObject("buffered")), expected);
            JsonObject byPhase = c.getJsonObject("reconnectMillis");
            for (JsonValue v : byPhase.containsKey(phase) ? byPhase.getJsonArray(phase) : JsonValue.EMPTY_JSON_ARRAY) {
                millis.add(((jakarta.json.JsonNumber) v).longValue());
            }
        }
        return new Stats(events, dups, missing, reconnects, recovered, sent, received, millis);
    }

    private static void printSummary(String kind, int clients, int perClient, Stats s, int cuts, int strands,
                                     int freezes, int delays) {
        List<Long> sorted = new ArrayList<>(s.reconnectMillis());
        Collections.sort(sorted);
        String times = sorted.isEmpty() ? "none" : String.format("median %d ms, p99 %d ms, max %d ms (%d reconnects)",
                sorted.get(sorted.size() / 2), sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size()
                        * 0.99) - 1)), sorted.get(sorted.size() - 1), sorted.size());
        System.out.printf("[FaultIT] %-4s clients %d, messages each %d (last seq reached, total %d), proxy cuts %d, "
                        + "strands %d, freezes %d, delays %d, reconnects %d, recovered %d, buffered emits sent %d / received %d, "
                        + "duplicates %d, missing %d; reconnect times in this phase (loss to connect): %s%n",
                kind, clients, perClient, s.events(), cuts, strands, freezes, delays, s.reconnects(), s.recovered(),
                s.bufferedSent(), s.bufferedReceived(), s.duplicates(), s.missing(), times);
    }
}
