package dev.parley.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.engineio.EnginePacketType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineSessionTest {

    private EngineServer engine = new EngineServer(EngineOptions.builder().pingInterval(100).pingTimeout(100).build());
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        engine.close();
    }

    private EngineSession open(RecordingTransport transport) {
        String query = "EIO=4&transport=" + transport.name();
        engine.onConnection(s -> s.setListener(new EngineSessionListener() {
            @Override
            public void onMessage(EngineSession session, EnginePacket message) {
                events.add("message:" + (message.isBinary() ? message.binary().length + " bytes" : message.text()));
            }

            @Override
            public void onClose(EngineSession session, EngineCloseReason reason, String description) {
                events.add("close:" + reason.wire());
            }
        }));
        return engine.handshake(new EngineRequest("GET", "/socket.io/?" + query, EngineRequest.parseQuery(query),
                Map.of(), "127.0.0.1", false), transport);
    }

    @Test
    void theFirstPacketIsTheOpenPacketWithExactlyTheReferenceKeys() {
        RecordingTransport polling = new RecordingTransport("polling", true);
        EngineSession session = open(polling);
        EnginePacket first = polling.sent().get(0);
        assertThat(first.type()).isEqualTo(EnginePacketType.OPEN);
        assertThat(first.text()).isEqualTo("{\"sid\":\"" + session.id()
                + "\",\"upgrades\":[\"websocket\"],\"pingInterval\":100,\"pingTimeout\":100,\"maxPayload\":1000000}");
    }

    @Test
    void aWebSocketSessionOffersNoUpgrade() {
        RecordingTransport ws = new RecordingTransport("websocket", true);
        open(ws);
        assertThat(ws.sent().get(0).text()).contains("\"upgrades\":[]");
    }

    @Test
    void messagesWaitForThePollAndGoOutTogether() {
        RecordingTransport polling = new RecordingTransport("polling", true);
        EngineSession session = open(polling); // the handshake poll took the open packet
        session.send(EnginePacket.message("a"));
        session.send(EnginePacket.message("b"));
        assertThat(polling.sent()).hasSize(1);
        polling.setWritable(true);
        session.onDrain(polling);
        assertThat(polling.sent()).extracting(EnginePacket::text).containsExactly(polling.sent().get(0).text(), "a", "b");
    }

    @Test
    void onAGatheringTransportPacketsSentMeanwhileShareOneSend() {
        RecordingTransport polling = new RecordingTransport("polling", true).gathering();
        EngineSession session = open(polling);
        assertThat(polling.batches()).containsExactly(1); // the open packet, at once
        polling.setWritable(true); // the next poll arrives
        // Keeping the timer busy holds back its flush, as a burst of sends faster than it would.
        CountDownLatch timerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        engine.schedule(() -> {
            timerBusy.countDown();
            awaitQuietly(release);
        }, 0);
        awaitQuietly(timerBusy);
        try {
            session.send(EnginePacket.message("a"));
            session.send(EnginePacket.message("b"));
            session.send(EnginePacket.message("c"));
            assertThat(polling.batches()).containsExactly(1);
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> polling.batches().size() == 2);
        assertThat(polling.batches()).containsExactly(1, 3);
        assertThat(polling.sent()).extracting(EnginePacket::text).endsWith("a", "b", "c");
    }

    @Test
    void incomingMessagesReachTheListenerInOrder() {
        RecordingTransport ws = new RecordingTransport("websocket", true);
        EngineSession session = open(ws);
        session.onPacket(ws, EnginePacket.message("one"));
        session.onPacket(ws, EnginePacket.binary(new byte[] {1, 2, 3}));
        session.onPacket(ws, EnginePacket.message("two"));
        assertThat(events).containsExactly("message:one", "message:3 bytes", "message:two");
    }

    @Test
    void pongsKeepTheSessionAliveAndSilenceClosesIt() {
        RecordingTransport ws = new RecordingTransport("websocket", true);
        EngineSession session = open(ws);
        for (int i = 1; i <= 3; i++) {
            int pings = i;
            // Polled every millisecond: Awaitility's default 100 ms equals the ping timeout, so a
            // pong sent after a late look arrived too late now and then (a flaky CI run).
            await().atMost(Duration.ofSeconds(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> ws.sent().stream().filter(p -> p.type() == EnginePacketType.PING).count() == pings);
            session.onPacket(ws, EnginePacket.PONG);
        }
        assertThat(session.state()).isEqualTo(EngineSession.State.OPEN);
        await().atMost(Duration.ofSeconds(2)).until(() -> session.state() == EngineSession.State.CLOSED);
        assertThat(events).containsExactly("close:ping timeout");
        assertThat(engine.session(session.id())).isNull();
    }

    @Test
    void aClosePacketFromTheClientEndsTheSessionAndAnswersTheWaitingPollWithANoop() {
        RecordingTransport polling = new RecordingTransport("polling", true);
        EngineSession session = open(polling);
        polling.setWritable(true);
        session.onPacket(polling, EnginePacket.CLOSE);
        assertThat(events).containsExactly("close:transport close");
        assertThat(polling.closedWithClosePacket()).isFalse();
    }

    @Test
    void aServerCloseSendsAClosePacketOnPolling() {
        RecordingTransport polling = new RecordingTransport("polling", true);
        EngineSession session = open(polling);
        session.send(EnginePacket.message("last words"));
        session.close();
        polling.setWritable(true);
        session.onDrain(polling);
        // the close packet never shares a poll with messages: the client would act on it first
        assertThat(polling.sent()).extracting(EnginePacket::type)
                .containsExactly(EnginePacketType.OPEN, EnginePacketType.MESSAGE);
        assertThat(events).doesNotContain("close:forced close");
        polling.setWritable(true);
        session.onDrain(polling);
        assertThat(polling.sent()).extracting(EnginePacket::type)
                .containsExactly(EnginePacketType.OPEN, EnginePacketType.MESSAGE, EnginePacketType.CLOSE);
        await().atMost(Duration.ofSeconds(2)).until(() -> events.contains("close:forced close"));
        session.send(EnginePacket.message("too late"));
        assertThat(polling.sent()).hasSize(3);
    }

    @Test
    void aParseErrorClosesTheSession() {
        RecordingTransport ws = new RecordingTransport("websocket", true);
        EngineSession session = open(ws);
        session.onParseError(ws, "bad packet");
        assertThat(events).containsExactly("close:parse error");
        assertThat(session.state()).isEqualTo(EngineSession.State.CLOSED);
    }

    @Test
    void upgradesFromPollingToWebSocket() {
        engine.close();
        engine = new EngineServer(EngineOptions.builder().pingInterval(60_000).build()); // no ping in between
        RecordingTransport polling = new RecordingTransport("polling", true);
        EngineSession session = open(polling);
        RecordingTransport ws = new RecordingTransport("websocket", true);
        assertThat(session.beginUpgrade(ws)).isTrue();
        assertThat(session.beginUpgrade(new RecordingTransport("websocket", true))).isFalse();

        polling.setWritable(true);
        session.onDrain(polling);
        session.onPacket(ws, EnginePacket.PING_PROBE);
        assertThat(ws.sent()).containsExactly(EnginePacket.PONG_PROBE);
        // a poll waiting during the probe is ended with a noop by the periodic check
        await().atMost(Duration.ofSeconds(2)).until(() ->
                polling.sent().get(polling.sent().size() - 1).equals(EnginePacket.NOOP));

        session.send(EnginePacket.message("buffered during upgrade"));
        session.onPacket(ws, EnginePacket.UPGRADE);
        assertThat(session.transportName()).isEqualTo("websocket");
        assertThat(ws.sent()).contains(EnginePacket.message("buffered during upgrade"));
        assertThat(polling.discarded()).isTrue();

        session.onPacket(polling, EnginePacket.message("late poll data is ignored"));
        session.onPacket(ws, EnginePacket.message("over websocket"));
        assertThat(events).containsExactly("message:over websocket");
    }

    @Test
    void anUpgradeThatNeverCompletesIsDropped() {
        engine.close();
        engine = new EngineServer(EngineOptions.builder().upgradeTimeout(100).build());
        RecordingTransport polling = new RecordingTransport("polling", true);
        EngineSession session = open(polling);
        RecordingTransport ws = new RecordingTransport("websocket", true);
        assertThat(session.beginUpgrade(ws)).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> ws.closedWithClosePacket() != null);
        assertThat(session.isUpgrading()).isFalse();
        assertThat(session.transportName()).isEqualTo("polling");
        assertThat(session.state()).isEqualTo(EngineSession.State.OPEN);
    }

    /**
     * A listener may call back into its session from onMessage and from onClose: the callbacks run
     * with no lock held, so another thread can take the session's lock meanwhile (isUpgrading does)
     * and sends and closes from inside them neither deadlock nor recurse.
     */
    @Test
    void listenersCanCallBackIntoTheirSessionFromOnMessageAndOnClose() throws Exception {
        RecordingTransport ws = new RecordingTransport("websocket", true);
        CountDownLatch closed = new CountDownLatch(1);
        engine.onConnection(s -> s.setListener(new EngineSessionListener() {
            @Override
            public void onMessage(EngineSession session, EnginePacket message) {
                events.add("message:" + message.text() + ", lock free: " + lockFreeElsewhere(session));
                session.send(EnginePacket.message("echo " + message.text()));
                if (message.text().equals("bye")) {
                    session.close();
                }
            }

            @Override
            public void onClose(EngineSession session, EngineCloseReason reason, String description) {
                events.add("close:" + reason.wire() + ", lock free: " + lockFreeElsewhere(session));
                session.send(EnginePacket.message("too late")); // dropped: the session is closed
                session.close(); // idempotent
                closed.countDown();
            }
        }));
        String query = "EIO=4&transport=websocket";
        EngineSession session = engine.handshake(new EngineRequest("GET", "/socket.io/?" + query,
                EngineRequest.parseQuery(query), Map.of(), "127.0.0.1", false), ws);
        session.onPacket(ws, EnginePacket.message("hi"));
        session.onPacket(ws, EnginePacket.message("bye"));
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactly("message:hi, lock free: true", "message:bye, lock free: true",
                "close:forced close, lock free: true");
        assertThat(ws.sent()).extracting(EnginePacket::text).doesNotContain("too late")
                .contains("echo hi", "echo bye");
        assertThat(session.state()).isEqualTo(EngineSession.State.CLOSED);
    }

    /** Whether another thread can take the session's lock right now (it cannot if this thread holds it). */
    private static boolean lockFreeElsewhere(EngineSession session) {
        Thread other = new Thread(session::isUpgrading);
        other.start();
        try {
            other.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !other.isAlive();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released in 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void theCallerSaysWhetherASendIsOneOfABatch() {
        RecordingTransport ws = new RecordingTransport("websocket", true);
        EngineSession session = open(ws); // the open packet: NOW
        List<EncodedPacket> shared = List.of(EncodedPacket.of(EnginePacket.message("to many")));
        session.sendAll(shared, Delivery.BATCH);
        session.sendAll(List.of(EncodedPacket.of(EnginePacket.message("reply"))), Delivery.NOW);
        session.send(EnginePacket.message("alone"));
        assertThat(ws.deliveries()).containsExactly(Delivery.NOW, Delivery.BATCH, Delivery.NOW, Delivery.NOW);
        assertThat(ws.sent()).extracting(EnginePacket::text).endsWith("to many", "reply", "alone");
    }
}
