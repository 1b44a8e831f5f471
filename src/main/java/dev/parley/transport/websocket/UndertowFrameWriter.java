package dev.parley.transport.websocket;

import dev.parley.engine.Delivery;
import dev.parley.protocol.engineio.WebSocketFrames;
import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSocketFrameType;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.jsr.UndertowSession;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Frames through Undertow's own WebSocket channel (WildFly), below its Jakarta WebSocket layer:
 * the payload of a broadcast's frame, encoded once, is handed to every recipient's channel as is
 * (no string encoded per recipient), and a connection's frames are queued without waiting for the
 * previous one to complete. Senders only append to the connection's list and, when the list was
 * empty, put the connection on its I/O thread's ready list ({@link IoThreadQueue}); one task per
 * I/O thread, not per connection, then takes every ready connection's frames, queues them with
 * Undertow and flushes each connection once. So the frames that gathered meanwhile leave in one
 * gathering write, Undertow's per-flush work is paid per batch, and a broadcast to thousands of
 * connections hands the I/O threads a few tasks, not thousands (XNIO's {@code execute} costs a
 * selector wake-up and a trace-log check each, the largest item of a 5,000-client fan-out before).
 * Only the last frame of a batch asks Undertow for a completion callback (a connection's frames
 * complete in order). Undertow applies any negotiated
 * extension itself (the payload is what it frames). No thread of Parley's.
 *
 * <p>Undertow queues without limit, so this counts what waits per connection: past
 * {@code maxQueuedBytes} (a client that stopped reading) the connection is dropped, its frames
 * with it. Loaded only where Undertow's classes are visible ({@link ContainerWrites}).
 */
final class UndertowFrameWriter implements RawFrameWriter {

    private static final Logger LOG = Logger.getLogger(UndertowFrameWriter.class.getName());

    private final long maxQueuedBytes;
    /** One ready list per I/O thread (a handful, fixed for the life of Undertow's worker). */
    private final Map<Executor, IoThreadQueue> ioThreads = new ConcurrentHashMap<>();

    UndertowFrameWriter(long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public Target target(Session session) {
        if (!(session instanceof UndertowSession undertow)) {
            return null;
        }
        WebSocketChannel channel = undertow.getWebSocketChannel();
        Executor io = ioThread(channel);
        return io == null ? null : new Output(channel, ioThreads.computeIfAbsent(io, IoThreadQueue::new), maxQueuedBytes);
    }

    /**
     * The channel's I/O thread, an {@link Executor}. Through reflection because its declared type is
     * XNIO's, which Undertow's module sees and a WildFly deployment does not.
     */
    private static Executor ioThread(WebSocketChannel channel) {
        try {
            Method getter = channel.getClass().getMethod("getIoThread");
            return getter.invoke(channel) instanceof Executor io ? io : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, "no I/O thread for an Undertow channel; using the portable API", e);
            return null;
        }
    }

    /** What one completion callback stands for: the frames of a batch and their payload bytes. */
    private record Batch(int frames, long bytes) {
    }

    /**
     * The connections of one I/O thread that have frames listed: a sender that lists a connection's
     * first frame adds the connection here, and the first connection added schedules one task on
     * the I/O thread, which drains every connection ready by then.
     */
    private static final class IoThreadQueue implements Runnable {

        private final Executor io;
        /** Guards the fields below; never held while calling Undertow or a connection. */
        private final Object lock = new Object();
        // Guarded by lock.
        private ArrayList<Output> ready = new ArrayList<>();
        private boolean scheduled;

        IoThreadQueue(Executor io) {
            this.io = io;
        }

        void add(Output output) {
            synchronized (lock) {
                ready.add(output);
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            try {
                io.execute(this);
            } catch (RuntimeException closing) { // RejectedExecutionException: the worker is stopping
                List<Output> stranded;
                synchronized (lock) {
                    stranded = takeLocked();
                }
                for (Output o : stranded) {
                    o.onError(o.channel, null, closing);
                }
            }
        }

        /** On the I/O thread. */
        @Override
        public void run() {
            List<Output> batch;
            synchronized (lock) {
                batch = takeLocked();
            }
            for (Output o : batch) {
                try {
                    o.drain();
                } catch (RuntimeException e) { // one broken channel must not strand the others' frames
                    o.onError(o.channel, null, e);
                }
            }
        }

        private List<Output> takeLocked() {
            scheduled = false;
            List<Output> taken = ready;
            ready = new ArrayList<>(Math.max(16, taken.size()));
            return taken;
        }
    }

    /** One connection: the frames listed for its I/O thread, and what is in Undertow's queue, counted. */
    private static final class Output implements Target, WebSocketCallback<Batch> {

        private final WebSocketChannel channel;
        private final IoThreadQueue io;
        private final long maxQueuedBytes;
        /** Guards the fields below; never held while calling Undertow or a drain action. */
        private final Object lock = new Object();
        // Guarded by lock.
        private byte[][] listed = new byte[4][];
        private int listedCount;
        private boolean scheduled;
        private long queuedBytes;
        private int queuedFrames;
        private boolean failed;
        private Runnable onDrained;

        Output(WebSocketChannel channel, IoThreadQueue io, long maxQueuedBytes) {
            this.channel = channel;
            this.io = io;
            this.maxQueuedBytes = maxQueuedBytes;
        }

        @Override
        public void write(byte[] frame, Delivery delivery) {
            // Undertow writes on its I/O thread whatever the sender: NOW and BATCH alike go there.
            int length = frame.length - WebSocketFrames.payloadOffset(frame);
            Runnable drained = null;
            synchronized (lock) {
                if (failed) {
                    return;
                }
                if (queuedBytes + length > maxQueuedBytes) {
                    LOG.log(Level.FINE, "dropping a connection that stopped reading ({0} bytes waiting)", queuedBytes);
                    drained = failLocked();
                } else {
                    queuedBytes += length;
                    queuedFrames++;
                    if (listedCount == listed.length) {
                        listed = Arrays.copyOf(listed, listedCount * 2);
                    }
                    listed[listedCount++] = frame;
                    if (scheduled) {
                        return; // the I/O thread takes it with the others
                    }
                    scheduled = true;
                }
            }
            if (drained != null) {
                closeChannel();
                drained.run();
                return;
            }
            io.add(this);
        }

        /** On the channel's I/O thread: what is listed goes to Undertow, flushed once. */
        private void drain() {
            byte[][] batch;
            int count;
            synchronized (lock) {
                scheduled = false;
                if (failed || listedCount == 0) {
                    return;
                }
                batch = listed;
                count = listedCount;
                listed = new byte[count <= 4 ? 4 : Math.min(count, 64)][];
                listedCount = 0;
            }
            if (count == 1) {
                // The usual case under a broadcast: one frame, sent and flushed at once. Undertow's
                // flush completes inline when the socket takes it, so no write listener is set (under
                // an explicit flush it always is: a listener and a trace-log check per frame).
                try {
                    sendLast(batch[0], 1, 0);
                } catch (RuntimeException e) {
                    onError(channel, null, e);
                }
                return;
            }
            long bytes = 0;
            channel.setRequireExplicitFlush(true);
            try {
                for (int i = 0; i < count - 1; i++) {
                    bytes += queue(batch[i]);
                }
                sendLast(batch[count - 1], count, bytes);
            } catch (IOException | RuntimeException e) {
                onError(channel, null, e);
            } finally {
                // Frames Undertow queued itself meanwhile (a close frame from another thread) leave too.
                channel.setRequireExplicitFlush(false);
                channel.flush();
            }
        }

        /**
         * Sends the last frame of a batch of {@code frames} with the completion callback, which
         * stands for the whole batch ({@code before} payload bytes queued ahead of it).
         */
        private void sendLast(byte[] last, int frames, long before) {
            int offset = WebSocketFrames.payloadOffset(last);
            ByteBuffer payload = ByteBuffer.wrap(last, offset, last.length - offset);
            Batch done = new Batch(frames, before + payload.remaining());
            if (WebSocketFrames.isBinary(last)) {
                WebSockets.sendBinary(payload, channel, this, done);
            } else {
                WebSockets.sendText(payload, channel, this, done);
            }
        }

        /** Queues one frame with Undertow without a completion of its own; returns its payload length. */
        private int queue(byte[] frame) throws IOException {
            int offset = WebSocketFrames.payloadOffset(frame);
            ByteBuffer payload = ByteBuffer.wrap(frame, offset, frame.length - offset); // a view: the array is shared
            StreamSinkFrameChannel sink = channel.send(WebSocketFrames.isBinary(frame) ? WebSocketFrameType.BINARY
                    : WebSocketFrameType.TEXT);
            if (!sink.send(new ImmediatePooledByteBuffer(payload))) {
                throw new IOException("Undertow refused a frame");
            }
            sink.shutdownWrites(); // queued, flushed with the batch
            return frame.length - offset;
        }

        @Override
        public void complete(WebSocketChannel ch, Batch done) {
            Runnable drained = null;
            synchronized (lock) {
                if (failed) {
                    return;
                }
                queuedBytes -= done.bytes();
                queuedFrames -= done.frames();
                if (queuedFrames == 0) {
                    drained = onDrained;
                    onDrained = null;
                }
            }
            if (drained != null) {
                drained.run();
            }
        }

        @Override
        public void onError(WebSocketChannel ch, Batch done, Throwable error) {
            LOG.log(Level.FINE, "Undertow WebSocket write failed", error);
            Runnable drained;
            synchronized (lock) {
                drained = failLocked();
            }
            drained.run(); // the endpoint hears of the failure from Undertow (onError/onClose)
        }

        /** Forgets what waits; returns who waited for the drain (never null). */
        private Runnable failLocked() {
            failed = true;
            queuedBytes = 0;
            queuedFrames = 0;
            listed = new byte[0][];
            listedCount = 0;
            Runnable drained = onDrained;
            onDrained = null;
            return DrainActions.orNothing(drained);
        }

        @Override
        public void whenDrained(Runnable action) {
            synchronized (lock) {
                if (queuedFrames > 0) {
                    onDrained = DrainActions.then(onDrained, action);
                    return;
                }
            }
            action.run();
        }

        @Override
        public long waitingBytes() {
            synchronized (lock) {
                return queuedBytes;
            }
        }

        @Override
        public long waitingFrames() {
            synchronized (lock) {
                return queuedFrames;
            }
        }

        @Override
        public void abort() {
            Runnable drained;
            synchronized (lock) {
                if (failed) {
                    return;
                }
                drained = failLocked();
            }
            closeChannel();
            drained.run();
        }

        private void closeChannel() {
            try {
                channel.close(); // the connection, at once; Undertow closes the session (1006)
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "dropping an Undertow WebSocket", e);
            }
        }
    }
}
