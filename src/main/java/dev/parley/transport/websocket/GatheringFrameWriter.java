package dev.parley.transport.websocket;

import dev.parley.engine.Delivery;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the frames queued for a connection in one write. Senders (a broadcast loop, a handler)
 * only append a frame to the connection's queue; one writer thread per server takes each
 * connection with frames waiting and writes all of them as one buffer, with at most one write in
 * flight per connection. Under load the writer falls behind the senders, so each write carries
 * more frames: a broadcast stream to thousands of connections costs a fraction of a system call
 * per delivered frame instead of one. A frame sent with {@link Delivery#NOW} (a reply, an ack, a
 * ping) to an idle connection is written at once on the calling thread instead; the sender says
 * which it is, there is no ambient state.
 *
 * <p>A socket that cannot take more (a slow reader) keeps its write in flight; its frames gather
 * meanwhile and leave together when the write completes. A reader so slow that more than
 * {@code maxQueuedBytes} wait for it is dropped (its frames with it), so one stalled client cannot
 * hold the server's memory; the others are not affected.
 */
public final class GatheringFrameWriter implements RawFrameWriter, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GatheringFrameWriter.class.getName());

    private final RawChannels<Object> channels;
    /** The limit of {@link #target}; {@link #limitedTo} makes others. */
    private final Limit limit;
    private final ConcurrentLinkedQueue<Limit.Output> ready = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private volatile boolean sleeping;
    private volatile boolean running = true;

    /**
     * @param channels       the raw channels of the sessions; a session with none uses the portable API
     * @param maxQueuedBytes how many bytes may wait for one connection before it is dropped
     */
    @SuppressWarnings("unchecked") // each output hands back only the handle channels gave it
    public <C> GatheringFrameWriter(RawChannels<C> channels, int maxQueuedBytes, String threadName) {
        this.channels = (RawChannels<Object>) channels;
        this.limit = new Limit(maxQueuedBytes);
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public Target target(Session session) {
        return limit.target(session);
    }

    /**
     * This writer (its thread) with another limit per connection: {@code maxQueuedBytes} may wait
     * for one connection of the returned writer's before it is dropped. The standalone server gives
     * each engine the limit of its own {@code max-buffered-bytes}.
     */
    public RawFrameWriter limitedTo(long maxQueuedBytes) {
        return new Limit((int) Math.min(Integer.MAX_VALUE, maxQueuedBytes));
    }

    /** Stops the writer thread; frames still queued are not written. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void schedule(Limit.Output output) {
        ready.offer(output);
        if (sleeping) {
            LockSupport.unpark(writer);
        }
    }

    private void run() {
        while (running) {
            Limit.Output next = ready.poll();
            if (next != null) {
                next.flush();
                continue;
            }
            // Announce the sleep, then look again: a sender that missed the flag has queued by then.
            sleeping = true;
            if (ready.isEmpty() && running) {
                LockSupport.park(this);
            }
            sleeping = false;
        }
    }

    /**
     * The connections written with one limit: {@code maxQueuedBytes} may wait for one of them before
     * it is dropped. Each connection's output belongs to its limit, which holds the limit once for
     * all of them (4 bytes less per connection than a field of each output's).
     */
    private final class Limit implements RawFrameWriter {

        private final int maxQueuedBytes;

        Limit(int maxQueuedBytes) {
            this.maxQueuedBytes = maxQueuedBytes;
        }

        @Override
        public Target target(Session session) {
            Object channel = channels.channelOf(session);
            return channel == null ? null : new Output(channel);
        }

        /** One connection's queue; in {@link #ready} at most once at a time. */
        private final class Output implements Target, RawChannels.Completion {

            /** The connection's handle for {@link #channels} (no wrapper object per connection). */
            private final Object channel;

            // Guarded by this.
            private byte[][] frames;
            private int count;
            private int bytes;
            private boolean scheduled;
            private boolean inFlight;
            private int inFlightBytes; // at most maxQueuedBytes, an int: 48 bytes an output, not 56
            private int inFlightFrames;
            private boolean failed;
            private Runnable onDrained;
            // "this" guards the fields above; never held while writing to the channel or running onDrained.
            // The output itself: private to this writer and its transport, nothing else locks it, so no lock
            // object (nor a field naming it: 8 bytes with the padding) per connection.

            Output(Object channel) {
                this.channel = channel;
            }

            @Override
            public void write(byte[] frame, Delivery delivery) {
                boolean now = false;
                Runnable drained = null;
                synchronized (this) {
                    if (failed) {
                        return;
                    }
                    if (count == 0 && !scheduled && !inFlight && delivery == Delivery.NOW) {
                        // A lone frame to an idle connection (a reply, an ack): no hand-off to the writer.
                        inFlight = true;
                        inFlightBytes = frame.length;
                        inFlightFrames = 1;
                        now = true;
                    } else if (bytes + frame.length <= maxQueuedBytes) {
                        appendLocked(frame);
                        if (scheduled || inFlight) {
                            return; // the writer will take this frame with the others
                        }
                        scheduled = true;
                    } else {
                        LOG.log(Level.FINE, "dropping a connection that stopped reading ({0} bytes waiting)", bytes);
                        drained = failLocked();
                    }
                }
                if (now) {
                    try {
                        channels.write(channel, ByteBuffer.wrap(frame), this);
                    } catch (RuntimeException e) {
                        failed(e);
                    }
                } else if (drained == null) {
                    schedule(this);
                } else {
                    channels.abort(channel);
                    drained.run();
                }
            }

            private void appendLocked(byte[] frame) {
                if (frames == null) {
                    frames = new byte[4][];
                } else if (count == frames.length) {
                    byte[][] grown = new byte[count * 2][];
                    System.arraycopy(frames, 0, grown, 0, count);
                    frames = grown;
                }
                frames[count++] = frame;
                bytes += frame.length;
            }

            /** Drops what waits; returns who waited for the drain (never null). */
            private Runnable failLocked() {
                failed = true;
                inFlight = false;
                inFlightBytes = 0;
                inFlightFrames = 0;
                frames = null;
                count = 0;
                bytes = 0;
                Runnable drained = DrainActions.orNothing(onDrained);
                onDrained = null;
                return drained;
            }

            @Override
            public void whenDrained(Runnable action) {
                synchronized (this) {
                    if (count > 0 || inFlight) {
                        onDrained = DrainActions.then(onDrained, action);
                        return;
                    }
                }
                action.run();
            }

            @Override
            public long waitingBytes() {
                synchronized (this) {
                    return (long) bytes + inFlightBytes;
                }
            }

            @Override
            public long waitingFrames() {
                synchronized (this) {
                    return count + inFlightFrames;
                }
            }

            @Override
            public void abort() {
                Runnable drained;
                synchronized (this) {
                    if (failed) {
                        return;
                    }
                    drained = failLocked();
                }
                channels.abort(channel);
                drained.run();
            }

            /** On the writer thread: everything queued leaves as one buffer. */
            void flush() {
                ByteBuffer out;
                synchronized (this) {
                    scheduled = false;
                    if (count == 0 || inFlight || failed) {
                        return;
                    }
                    inFlightBytes = bytes;
                    inFlightFrames = count;
                    out = takeLocked();
                    inFlight = true;
                }
                try {
                    channels.write(channel, out, this);
                } catch (RuntimeException e) {
                    failed(e);
                }
            }

            private ByteBuffer takeLocked() {
                // One frame goes as is; several are copied into one array, which is
                // cheaper than the system call each would cost on its own.
                ByteBuffer out;
                if (count == 1) {
                    out = ByteBuffer.wrap(frames[0]);
                } else {
                    byte[] all = new byte[bytes];
                    int at = 0;
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(frames[i], 0, all, at, frames[i].length);
                        at += frames[i].length;
                    }
                    out = ByteBuffer.wrap(all);
                }
                Arrays.fill(frames, 0, count, null);
                if (frames.length > 64) {
                    frames = null; // a burst grew it: do not keep the large array for an idle connection
                }
                count = 0;
                bytes = 0;
                return out;
            }

            @Override
            public void written() {
                Runnable drained = null;
                boolean again = false;
                synchronized (this) {
                    inFlight = false;
                    inFlightBytes = 0;
                    inFlightFrames = 0;
                    if (count > 0) {
                        again = !scheduled;
                        scheduled = true;
                    } else {
                        drained = onDrained;
                        onDrained = null;
                    }
                }
                if (again) {
                    schedule(this);
                } else if (drained != null) {
                    drained.run();
                }
            }

            @Override
            public void failed(Throwable error) {
                LOG.log(Level.FINE, "raw write failed", error);
                // Frames are lost: the connection must end too (its session then ends), not stay open
                // and silently swallow what is sent to it.
                abort();
            }
        }
    }
}
