package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineSession;
import dev.parley.protocol.engineio.EnginePacket;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who runs what (README "Threads and locks"), checked on a real server: one timer thread per
 * server, and a poll answer to a client that does not read holds no timer and no lock.
 */
class ThreadsTest {

    private static ConformanceServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new ConformanceServer(); // echo engine: pingInterval 300, pingTimeout 200
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theSocketIoLayerSchedulesOnTheEnginesTimerNotAThreadOfItsOwn() throws Exception {
        // A Socket.IO connection schedules its connect timeout and the engine its heartbeat.
        try (RawWebSocket ws = RawWebSocket.connect(server.ws() + "/socket.io/?EIO=4&transport=websocket")) {
            assertThat((String) ws.next()).startsWith("0{\"sid\":");
            ws.send("40");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
            List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
            assertThat(names).doesNotContain("parley-socketio-timer", "parley-engine-timer");
            // The fixture runs two engines (raw Engine.IO and Socket.IO): one timer each, no more.
            assertThat(names.stream().filter("parley-timer"::equals).count()).isEqualTo(2);
        }
    }

    @Test
    void aPollAnswerToAClientThatDoesNotReadHoldsUpNoOtherSessionsHeartbeat() throws Exception {
        RawHttp http = new RawHttp(server.http());
        String sid = http.openPolling("/engine.io/");
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(server.http().replaceAll(".*:", ""))));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /engine.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            EngineSession session = server.echoEngine().session(sid);
            await().atMost(Duration.ofSeconds(5)).until(() -> session.transport().isWritable());
            // 32 MB for a client that never reads: far more than the socket buffers take. The
            // session flushes it from the timer thread; the bytes must leave on some other thread.
            session.send(EnginePacket.message("x".repeat(32 << 20)));

            try (RawWebSocket other = RawWebSocket.connect(server.ws() + "/engine.io/?EIO=4&transport=websocket")) {
                assertThat((String) other.next()).startsWith("0{\"sid\":");
                for (int pings = 0; pings < 5; pings++) {
                    assertThat(other.next()).as("ping " + (pings + 1) + " of another session").isEqualTo("2");
                    other.send("3");
                }
            }
        }
    }
}
