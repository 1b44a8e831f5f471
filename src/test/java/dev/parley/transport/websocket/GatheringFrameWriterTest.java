package dev.parley.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.Delivery;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GatheringFrameWriterTest {

    /** A channel whose writes complete only when the test says so, like a socket that is full. */
    static class HeldChannel {
        final List<String> writes = new CopyOnWriteArrayList<>();
        final List<RawChannels.Completion> pending = new CopyOnWriteArrayList<>();
        volatile boolean aborted;
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        void write(ByteBuffer bytes, RawChannels.Completion done) {
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            writes.add(new String(b, StandardCharsets.US_ASCII));
            threads.add(Thread.currentThread());
            pending.add(done);
        }

        void abort() {
            aborted = true;
        }

        void completeOldest() {
            pending.remove(0).written();
        }
    }

    /** Held channels as a container's raw channels: each session's made by {@code of}. */
    static RawChannels<HeldChannel> held(Function<Session, HeldChannel> of) {
        return new RawChannels<>() {
            @Override
            public HeldChannel channelOf(Session session) {
                return of.apply(session);
            }

            @Override
            public void write(HeldChannel channel, ByteBuffer bytes, Completion done) {
                channel.write(bytes, done);
            }

            @Override
            public void abort(HeldChannel channel) {
                channel.abort();
            }
        };
    }

    private final HeldChannel channel = new HeldChannel();
    private final GatheringFrameWriter writer = new GatheringFrameWriter(held(session -> channel), 10, "test-writer");
    private final RawFrameWriter.Target target = writer.target(null);

    @AfterEach
    void close() {
        writer.close();
    }

    private static byte[] frame(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aLoneFrameOutsideABroadcastIsWrittenAtOnceOnTheCallingThread() {
        target.write(frame("a"), Delivery.NOW);
        assertThat(channel.writes).containsExactly("a");
        assertThat(channel.threads).containsExactly(Thread.currentThread());
    }

    @Test
    void aBatchedFrameIsWrittenByTheWriterThread() {
        target.write(frame("a"), Delivery.BATCH);
        await().until(() -> channel.writes.size() == 1);
        assertThat(channel.threads.get(0).getName()).isEqualTo("test-writer");
    }

    @Test
    void aFrameSentNowAfterBatchedOnesKeepsItsPlace() {
        channel.pending.clear();
        target.write(frame("a"), Delivery.NOW); // in flight
        target.write(frame("b"), Delivery.BATCH);
        target.write(frame("c"), Delivery.NOW); // queued behind b, not written ahead of it
        assertThat(channel.writes).containsExactly("a");
        channel.completeOldest();
        await().until(() -> channel.writes.size() == 2);
        assertThat(channel.writes).containsExactly("a", "bc");
    }

    @Test
    void framesQueuedWhileAWriteIsInFlightLeaveTogetherInOrder() {
        target.write(frame("a"), Delivery.NOW);
        await().until(() -> channel.writes.size() == 1);
        target.write(frame("b"), Delivery.NOW);
        target.write(frame("cc"), Delivery.NOW);
        target.write(frame("d"), Delivery.NOW);
        assertThat(channel.writes).containsExactly("a"); // one write in flight at a time

        channel.completeOldest();
        await().until(() -> channel.writes.size() == 2);
        assertThat(channel.writes).containsExactly("a", "bccd");

        channel.completeOldest();
        target.write(frame("e"), Delivery.NOW);
        await().until(() -> channel.writes.size() == 3);
        assertThat(channel.writes).containsExactly("a", "bccd", "e");
    }

    @Test
    void whenDrainedRunsOnceEverythingQueuedHasBeenWritten() {
        AtomicInteger drained = new AtomicInteger();
        target.whenDrained(drained::incrementAndGet);
        assertThat(drained).hasValue(1); // nothing waiting: at once

        target.write(frame("a"), Delivery.NOW);
        await().until(() -> channel.writes.size() == 1);
        target.write(frame("b"), Delivery.NOW);
        target.whenDrained(drained::incrementAndGet);
        channel.completeOldest();
        await().until(() -> channel.writes.size() == 2);
        assertThat(drained).hasValue(1); // "b" is still in flight

        channel.completeOldest();
        assertThat(drained).hasValue(2);
    }

    @Test
    void aFailedWriteDropsWhatIsQueuedAndReleasesWaiters() {
        target.write(frame("a"), Delivery.NOW);
        await().until(() -> channel.writes.size() == 1);
        target.write(frame("b"), Delivery.NOW);
        AtomicInteger drained = new AtomicInteger();
        target.whenDrained(drained::incrementAndGet);

        channel.pending.remove(0).failed(new java.io.IOException("reset by peer"));
        assertThat(drained).hasValue(1);
        target.write(frame("c"), Delivery.NOW);
        assertThat(channel.writes).containsExactly("a");
        assertThat(channel.pending).isEmpty();
    }

    @Test
    void aReaderThatFallsTooFarBehindIsDroppedWithItsFrames() {
        target.write(frame("a"), Delivery.NOW);
        await().until(() -> channel.writes.size() == 1); // in flight, never completed: the peer stopped reading
        target.write(frame("0123456789"), Delivery.NOW); // 10 bytes may wait
        AtomicInteger drained = new AtomicInteger();
        target.whenDrained(drained::incrementAndGet);
        assertThat(channel.aborted).isFalse();

        target.write(frame("b"), Delivery.NOW); // the 11th
        assertThat(channel.aborted).isTrue();
        assertThat(drained).hasValue(1);
        target.write(frame("c"), Delivery.NOW);
        channel.completeOldest();
        assertThat(channel.writes).containsExactly("a");
    }

    @Test
    void manyConnectionsEachGetEveryFrameInOrder() {
        List<HeldChannel> channels = new CopyOnWriteArrayList<>();
        try (GatheringFrameWriter many = new GatheringFrameWriter(held(s -> {
            HeldChannel c = new HeldChannel() {
                @Override
                void write(ByteBuffer bytes, RawChannels.Completion done) {
                    super.write(bytes, done);
                    completeOldest(); // a socket with room: completes inline
                }
            };
            channels.add(c);
            return c;
        }), 1000, "test-many")) {
            List<RawFrameWriter.Target> targets = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                targets.add(many.target(null));
            }
            StringBuilder expected = new StringBuilder();
            for (int m = 0; m < 200; m++) {
                String f = Integer.toString(m % 10);
                expected.append(f);
                for (RawFrameWriter.Target t : targets) {
                    t.write(frame(f), Delivery.NOW);
                }
            }
            await().until(() -> channels.stream().allMatch(c -> String.join("", c.writes).length() == 200));
            for (HeldChannel c : channels) {
                assertThat(String.join("", c.writes)).isEqualTo(expected.toString());
            }
        }
    }
}
