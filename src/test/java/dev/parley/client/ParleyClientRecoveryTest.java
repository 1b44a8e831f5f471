package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineOptions;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import dev.parley.testing.CuttingProxy;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client's connection state recovery against the official Node Socket.IO 4.8 server
 * ({@code src/test/node/recovery-server.cjs}, {@code connectionStateRecovery} on), through a {@link CuttingProxy}:
 * the server streams broadcasts, the connection is cut mid-stream, the client reconnects with its pid and last
 * offset and the server replays what it missed. The same scenario against Parley's own server with
 * {@code recovery-max-disconnection} on (a standalone server serving the same events).
 */
class ParleyClientRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /** The Node test project: {@code socket.io} 4.8.4 is one of its dependencies ({@code npm ci} there, run by Maven). */
    private static final File NODE_TESTS = new File(System.getProperty("parley.nodeTests", "src/test/node"));

    private static Process node;
    private static int nodePort;
    private static ParleyServer parley;
    private static StandaloneServer parleyServer;
    private static ScheduledExecutorService parleyApp;
    /** Sockets of Parley's server that it saw disconnected. */
    private static final AtomicInteger parleyLosses = new AtomicInteger();

    /** Parley serving what recovery-server.cjs serves: welcome, stream (broadcast ticks), ack. */
    @BeforeAll
    static void startParley() throws Exception {
        parleyApp = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "recovery-test-app"));
        parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().pingInterval(300).pingTimeout(600).build())
                .recoveryMaxDisconnection(60_000).build());
        parley.onConnection(socket -> {
            socket.onDisconnect((reason, description) -> parleyLosses.incrementAndGet());
            socket.emit("welcome", socket.recovered());
            socket.on("stream", (args, ack) -> {
                int count = args.getInt(0);
                AtomicInteger next = new AtomicInteger();
                AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
                task.set(parleyApp.scheduleAtFixedRate(() -> {
                    int n = next.getAndIncrement();
                    if (n < count) {
                        parley.emit("tick", n);
                    } else {
                        task.get().cancel(false);
                    }
                }, 0, args.getLong(1), TimeUnit.MILLISECONDS));
                ack.send("started");
            });
            socket.on("ack", (args, ack) -> ack.send(args.get(0), socket.recovered()));
            socket.on("losses", (args, ack) -> ack.send(parleyLosses.get()));
        });
        parleyServer = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(parley.engine(), false)), false);
    }

    @AfterAll
    static void stopParley() {
        if (parleyApp != null) {
            parleyApp.shutdownNow();
        }
        if (parley != null) {
            parley.close();
        }
        if (parleyServer != null) {
            parleyServer.close();
        }
    }

    @BeforeAll
    static void startNode() throws Exception {
        File modules = new File(NODE_TESTS, "node_modules/socket.io");
        if (!modules.isDirectory()) {
            throw new AssertionError(modules.getAbsolutePath() + " is missing: run `npm ci` in "
                    + NODE_TESTS.getAbsolutePath() + " (Node.js 20+; Maven does it in generate-test-resources)");
        }
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("parley.node", "node"), "recovery-server.cjs")
                .directory(NODE_TESTS).redirectErrorStream(true);
        node = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[recovery-server] " + line);
                    if (line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new AssertionError("recovery-server.cjs ended without printing its port"));
        }, "node-recovery-server-output");
        pump.setDaemon(true);
        pump.start();
        nodePort = port.get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.getOutputStream().close(); // its stdin ends: it exits
            if (!node.waitFor(5, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aCutMidStreamIsRecoveredWithNoEventLostOrDuplicated() throws Exception {
        cutMidStreamIsRecovered(nodePort, false);
    }

    @Test
    void parleysOwnServerRecoversItToo() throws Exception {
        cutMidStreamIsRecovered(parleyServer.port(), false);
    }

    @Test
    void aCutPollingSessionIsRecoveredToo() throws Exception {
        cutMidStreamIsRecovered(nodePort, true);
    }

    @Test
    void parleysOwnServerRecoversAPollingSessionToo() throws Exception {
        cutMidStreamIsRecovered(parleyServer.port(), true);
    }

    /** How many sockets the server saw disconnected, asked over the observer's own connection. */
    private static int losses(ClientSocket observer) throws Exception {
        return observer.emitWithAck(WAIT, "losses").get(10, TimeUnit.SECONDS).getInt(0);
    }

    /**
     * @param pollingOnly the client on long-polling only (the cut fails its waiting GET: "transport error"); else
     *        the default transports, cut once upgraded to a WebSocket ("transport close")
     */
    private static void cutMidStreamIsRecovered(int serverPort, boolean pollingOnly) throws Exception {
        int count = 300;
        List<Integer> ticks = new CopyOnWriteArrayList<>();
        List<Integer> argCounts = new CopyOnWriteArrayList<>();
        List<Boolean> welcomes = new CopyOnWriteArrayList<>();
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<Integer> reconnects = new CopyOnWriteArrayList<>();
        ClientOptions defaults = ClientOptions.defaults().reconnectionDelay(100).reconnectionDelayMax(400)
                .connectTimeout(3000);
        ClientOptions options = pollingOnly ? defaults.transports(List.of(ClientOptions.POLLING)) : defaults;
        String transport = pollingOnly ? ClientOptions.POLLING : ClientOptions.WEBSOCKET;
        try (ParleyClient observer = ParleyClient.connect(URI.create("http://127.0.0.1:" + serverPort),
                ClientOptions.defaults().transports(List.of(ClientOptions.WEBSOCKET)));
                CuttingProxy proxy = new CuttingProxy(serverPort);
                ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + proxy.port()), options)) {
            client.onReconnect(reconnects::add);
            ClientSocket socket = client.socket("/", null, s -> s
                    .on("welcome", (args, reply) -> welcomes.add(args.getBoolean(0)))
                    .on("tick", (args, reply) -> {
                        ticks.add(args.getInt(0));
                        argCounts.add(args.size());
                    })
                    .onDisconnect(reasons::add));
            String firstId = socket.connected().get(10, TimeUnit.SECONDS);
            ClientSocket watch = observer.socket("/", null);
            int lossesBefore = losses(watch);
            assertThat(socket.recovered()).isFalse();
            assertThat(socket.emitWithAck(WAIT, "stream", count, 5).get(10, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("started");

            await().atMost(WAIT).until(() -> ticks.size() >= 40 && transport.equals(client.transport()));
            proxy.refuse(true); // the server keeps broadcasting while the client is away
            proxy.cut();
            await().atMost(WAIT).until(() -> reasons.size() == 1);
            int before = ticks.size();
            int seen = proxy.accepted(); // a polling client (or an upgraded one) has several connections
            await().atMost(WAIT).until(() -> proxy.accepted() > seen); // an attempt was refused: ticks were missed
            // the server must have seen the client gone (a polling client cut between two GETs shows only at its
            // ping timeout): back earlier, it would get a fresh session, as in the reference
            await().atMost(WAIT).until(() -> losses(watch) > lossesBefore);
            proxy.refuse(false);

            await().atMost(WAIT).until(() -> reconnects.size() == 1 && socket.isConnected());
            assertThat(socket.recovered()).isTrue();
            assertThat(socket.id()).as("the restored session keeps its id").isEqualTo(firstId);
            assertThat(reasons).containsExactly(pollingOnly ? "transport error" : "transport close");
            // the new session opens on polling again and upgrades by itself
            await().atMost(WAIT).until(() -> transport.equals(client.transport()));
            await().atMost(WAIT).until(() -> ticks.size() >= count);
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> ticks.size() == count);

            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add(i);
            }
            assertThat(before).isLessThan(count);
            assertThat(ticks).isEqualTo(expected);
            // as socket.io-client: the offset stays the broadcast's last argument
            assertThat(argCounts).containsOnly(2);
            assertThat(welcomes).as("the server's connection handler runs again, on a recovered socket")
                    .containsExactly(false, true);
            Args a = socket.emitWithAck(WAIT, "ack", "x").get(10, TimeUnit.SECONDS);
            assertThat(a.getBoolean(1)).isTrue();
        }
    }
}
