package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineSession;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import dev.parley.settings.SettingSource;
import dev.parley.settings.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket client that stops reading is dropped once more than {@code max-buffered-bytes} wait
 * for it in the standalone server's writer (which, not the engine, holds a WebSocket's backlog
 * there, and reports it to the session, whose {@code OutboundBound} decides), and its session ends
 * at once as a slow consumer. How much the kernel's socket buffers take first depends on the
 * machine, so the limit is read off the session's own report of how much was waiting.
 */
class WebSocketBacklogTest {

    private static final String BLOB = "x".repeat(16 * 1024);
    /** Far more than any limit here plus the kernel's buffers: a drop that does not come fails the test. */
    private static final int MAX_EVENTS = 4096;

    /** The session decides, whatever holds the backlog (the writer, or the portable path's queue). */
    private final Logger writerLog = Logger.getLogger(EngineSession.class.getName());
    /** The portable path's queue ({@code websocket-writes=portable}) reports a backstop drop under this name. */
    private final Logger portableLog = Logger.getLogger("dev.parley.transport.websocket.WebSocketTransport");
    private final List<Object> waitingAtDrop = new CopyOnWriteArrayList<>();
    private final Handler drops = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getMessage().startsWith("slow consumer")) {
                waitingAtDrop.add(r.getParameters()[1]); // the bytes waiting when a packet did not fit
            } else if (r.getMessage().startsWith("dropping a connection that stopped reading")) {
                waitingAtDrop.add(r.getParameters()[0]); // a writer's backstop: fails the bound below
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level writerLevel;
    private Level portableLevel;
    private ParleyServer parley;
    private StandaloneServer server;

    @BeforeEach
    void listen() {
        writerLevel = writerLog.getLevel();
        writerLog.setLevel(Level.FINE);
        writerLog.addHandler(drops);
        portableLevel = portableLog.getLevel();
        portableLog.setLevel(Level.FINE);
        portableLog.addHandler(drops);
    }

    @AfterEach
    void stop() {
        writerLog.removeHandler(drops);
        writerLog.setLevel(writerLevel);
        portableLog.removeHandler(drops);
        portableLog.setLevel(portableLevel);
        if (server != null) {
            server.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    /** Starts a server with these flags, connects a client that then never reads, floods it; the bytes waiting at the drop. */
    private long waitingWhenDropped(Map<String, String> flags) throws Exception {
        parley = new ParleyServer(Settings.options(ParleyOptions.defaults(),
                List.of(SettingSource.of("flag", "--", flags))));
        CompletableFuture<Socket> connected = new CompletableFuture<>();
        parley.of("/").onConnection(connected::complete);
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        try (HandMadeWebSocket ws = HandMadeWebSocket.open("127.0.0.1", server.port(),
                "/socket.io/?EIO=4&transport=websocket")) {
            assertThat(ws.readFrame().text()).startsWith("0{");
            ws.sendText("40");
            assertThat(ws.readFrame().text()).startsWith("40{");
            Socket socket = connected.get(10, TimeUnit.SECONDS);
            CompletableFuture<String> disconnected = new CompletableFuture<>();
            socket.onDisconnect((reason, description) -> disconnected.complete(reason.wire()));
            // The drop happens inside the emit that overflows the queue, so the loop stops right there.
            for (int i = 0; i < MAX_EVENTS && waitingAtDrop.isEmpty(); i++) {
                socket.emit("blob", BLOB);
            }
            assertThat(waitingAtDrop).as("drops of the client that stopped reading").hasSize(1);
            // Dropped means gone, not left to the heartbeat: the session ends without the client's help.
            await().atMost(Duration.ofSeconds(10)).until(disconnected::isDone);
            assertThat(socket.connected()).isFalse();
            // the session's bound, not the connection's end or a writer's backstop, ended it
            assertThat(disconnected.get()).isEqualTo("slow consumer");
            return ((Number) waitingAtDrop.get(0)).longValue();
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAtTheConfiguredMaxBufferedBytes() throws Exception {
        long limit = 256 * 1024;
        long waiting = waitingWhenDropped(Map.of("max-buffered-bytes", Long.toString(limit)));
        assertThat(waiting).isLessThanOrEqualTo(limit).isGreaterThan(limit - 2L * BLOB.length());
    }

    @Test
    void withoutTheSettingTheDefaultLimitApplies() throws Exception {
        long waiting = waitingWhenDropped(Map.of());
        long limit = parley.options().engine().maxBufferedBytes();
        assertThat(limit).isEqualTo(4L << 20);
        assertThat(waiting).isLessThanOrEqualTo(limit).isGreaterThan(limit - 2L * BLOB.length());
    }

    /**
     * With the portable Jakarta API ({@code websocket-writes=portable}) the transport's own queue
     * holds the backlog: it drops the client at the same limit (the queue counts characters of text
     * and the send in flight), and the session ends at once, not at the ping timeout.
     */
    @Test
    void onThePortablePathTheTransportQueueDropsItAtTheLimit() throws Exception {
        long limit = 256 * 1024;
        long waiting = waitingWhenDropped(Map.of("max-buffered-bytes", Long.toString(limit),
                "websocket-writes", "portable"));
        assertThat(waiting).isLessThanOrEqualTo(limit).isGreaterThan(limit - 2L * BLOB.length());
    }
}
