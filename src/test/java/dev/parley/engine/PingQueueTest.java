package dev.parley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.engineio.EnginePacketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PingQueueTest {

    private final EngineServer engine = new EngineServer(EngineOptions.builder().pingInterval(150).pingTimeout(10_000).build());

    @AfterEach
    void close() {
        engine.close();
    }

    private EngineSession open(RecordingTransport transport) {
        String query = "EIO=4&transport=websocket";
        return engine.handshake(new EngineRequest("GET", "/socket.io/?" + query, EngineRequest.parseQuery(query),
                Map.of(), "127.0.0.1", false), transport);
    }

    private static long pings(RecordingTransport t) {
        return t.sent().stream().filter(p -> p.type() == EnginePacketType.PING).count();
    }

    @Test
    void everyQueuedSessionPingsAndAPongQueuesItAgain() {
        List<RecordingTransport> transports = new ArrayList<>();
        List<EngineSession> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RecordingTransport t = new RecordingTransport("websocket", true);
            transports.add(t);
            sessions.add(open(t));
        }
        sessions.forEach(s -> assertThat(engine.pings().contains(s)).isTrue());

        await().atMost(Duration.ofSeconds(5)).until(() -> transports.stream().allMatch(t -> pings(t) == 1));
        // Waiting for a pong: out of the queue until it comes.
        sessions.forEach(s -> assertThat(engine.pings().contains(s)).isFalse());

        EngineSession second = sessions.get(1);
        second.onPacket(transports.get(1), EnginePacket.of(EnginePacketType.PONG));
        assertThat(engine.pings().contains(second)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> pings(transports.get(1)) == 2);
        assertThat(transports).extracting(PingQueueTest::pings).containsExactly(1L, 2L, 1L, 1L, 1L);
    }

    @Test
    void aClosedSessionLeavesTheQueueWhereverItIsAndTheOthersStillPing() {
        List<RecordingTransport> transports = new ArrayList<>();
        List<EngineSession> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingTransport t = new RecordingTransport("websocket", true);
            transports.add(t);
            sessions.add(open(t));
        }
        sessions.get(0).close(); // the head
        sessions.get(1).close(); // then the one in the middle of what is left

        await().atMost(Duration.ofSeconds(5)).until(() -> sessions.get(0).state() == EngineSession.State.CLOSED
                && sessions.get(1).state() == EngineSession.State.CLOSED);
        assertThat(engine.pings().contains(sessions.get(0))).isFalse();
        assertThat(engine.pings().contains(sessions.get(1))).isFalse();
        assertThat(engine.pings().contains(sessions.get(2))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> pings(transports.get(2)) == 1);
        assertThat(pings(transports.get(0))).isZero();
        assertThat(pings(transports.get(1))).isZero();
    }
}
