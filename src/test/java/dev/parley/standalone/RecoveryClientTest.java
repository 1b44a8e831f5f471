package dev.parley.standalone;

import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.NodeTestRun;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The real {@code socket.io-client} 4.8 (Node) recovering its connection state against a standalone
 * Parley with {@code recovery-max-disconnection} on, over each transport mode: a stream of events
 * while the client's engine connection is cut again and again must arrive whole, once, in order,
 * with {@code socket.recovered} after every reconnection ({@code src/test/node/recovery/recovery.test.mjs}).
 * The stream is emitted from a thread of the test's own, as an application pushing from elsewhere
 * would, to the socket's id room: it goes on while the client is away.
 */
class RecoveryClientTest {

    private static ParleyServer parley;
    private static StandaloneServer server;
    private static ScheduledExecutorService app;

    @BeforeAll
    static void start() throws Exception {
        app = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "recovery-test-app"));
        parley = new ParleyServer(ParleyOptions.builder().recoveryMaxDisconnection(60_000).build());
        parley.onConnection(socket -> socket.on("stream", (args, ack) -> {
            String room = socket.id();
            long count = args.getLong(0);
            AtomicInteger next = new AtomicInteger();
            AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
            task.set(app.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i < count) {
                    parley.to(room).emit("tick", i);
                } else {
                    task.get().cancel(false);
                }
            }, 0, args.getLong(1), TimeUnit.MILLISECONDS));
            ack.send("started");
        }));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    @AfterAll
    static void stop() {
        app.shutdownNow();
        parley.close();
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> socketIoClientRecovers() {
        File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        return Stream.of("websocket", "polling", "polling,websocket").map(mode -> DynamicTest.dynamicTest(
                "recovery/recovery.test.mjs [" + mode + "]", () -> NodeTestRun.run(dir, "recovery/recovery.test.mjs",
                        Map.of("PARLEY_URL", "http://127.0.0.1:" + server.port(), "PARLEY_TRANSPORTS", mode), 120)));
    }
}
