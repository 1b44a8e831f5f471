package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server closes a kept-alive connection idle for {@code http-keep-alive-timeout}; a polling client's POST
 * that leaves on that pooled connection at that moment fails with no response byte, and the JDK's HttpClient
 * does not send a POST again. The client does, once ({@link StaleConnection}): with the server's timeout tiny
 * (200 ms) and emits leaving at idle gaps spread around it, the session never ends and every emit arrives once.
 */
class ParleyClientKeepAliveTest {

    private static final long KEEP_ALIVE = 200;
    private static final int EMITS = 48;

    private ParleyServer parley;
    private StandaloneServer server;
    private final Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keep-alive-test-emitter");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().httpKeepAliveTimeout(KEEP_ALIVE).build()).build());
        parley.onConnection(socket -> socket.on("n", (args, ack) ->
                received.computeIfAbsent(args.getInt(0), k -> new AtomicInteger()).incrementAndGet()));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
        parley.close();
        server.close();
    }

    @Test
    void postsOnConnectionsTheServerClosesAsIdleAreSentAgainOnceAndTheSessionLives() throws Exception {
        try (ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + server.port()),
                ClientOptions.defaults().transports(List.of("polling")).reconnection(false))) {
            ClientSocket socket = client.socket("/", null);
            List<String> disconnects = new CopyOnWriteArrayList<>();
            socket.onDisconnect(disconnects::add);
            socket.connected().get(5, TimeUnit.SECONDS);
            String sid = client.sessionId();
            // Each emit leaves after an idle gap of 170..235 ms, in 5 ms steps: some just before the server
            // closes the POST's pooled connection, some at that moment, some after.
            long at = 0;
            for (int i = 0; i < EMITS; i++) {
                at += 170 + 5 * (i % 14);
                int n = i;
                timer.schedule(() -> socket.emit("n", n), at, TimeUnit.MILLISECONDS);
            }
            await().atMost(Duration.ofSeconds(at / 1000 + 20)).until(() -> received.size() == EMITS
                    || !disconnects.isEmpty());
            assertThat(disconnects).as("disconnects").isEmpty();
            assertThat(client.sessionId()).as("the same session throughout").isEqualTo(sid);
            assertThat(received.keySet()).hasSize(EMITS);
            assertThat(received.values()).as("each emit delivered once").allMatch(c -> c.get() == 1);
        }
    }
}
