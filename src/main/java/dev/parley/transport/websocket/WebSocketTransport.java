package dev.parley.transport.websocket;

import dev.parley.engine.Delivery;
import dev.parley.engine.EngineCloseReason;
import dev.parley.engine.EngineServer;
import dev.parley.engine.EngineSession;
import dev.parley.engine.OutboundBound;
import dev.parley.engine.Transport;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EncodedPacket;
import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket transport over a Jakarta WebSocket {@link Session}: one Engine.IO packet per frame
 * (text packets as text frames, binary messages as raw binary frames). Where the container offers
 * a {@link RawFrameWriter.Target}, pre-built frames go there; otherwise sends use the portable
 * async API, strictly one at a time, because containers differ on whether they queue concurrent
 * async sends; packets wait in this transport's own queue meanwhile.
 *
 * <p>What waits here or in the native target is reported to the session ({@link #waitingBytes()},
 * {@link #waitingPackets()}), which bounds it ({@link OutboundBound}: volatile packets dropped first,
 * then the session closed as a slow consumer and this transport {@linkplain #abort aborted}). The
 * portable queue also has a backstop of its own, {@link OutboundBound#backstopBytes} (counted in
 * characters of text, bytes of binary): past it the connection is dropped, its queue discarded, the
 * container asked to close it, and its session ends at once with a transport error.
 */
final class WebSocketTransport implements Transport, SendHandler, MessageHandler.Whole<byte[]> {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class.getName());

    private final Session ws;
    private final RawFrameWriter.Target raw;
    private final EngineServer engine;
    /**
     * Whether permessage-deflate was negotiated (the engine's compression then applies): a flag, not
     * the compression itself, fits the padding of the flags below (8 bytes less per connection).
     */
    private final boolean deflate;
    private volatile EngineSession session;

    /*
     * "this" guards the queue and the flags below (sends are asynchronous, so nothing waits while it is held).
     * The transport itself: it is handed only to its engine session and, as the send handler, to the
     * container, neither of which locks on it; a lock object of its own would be 16 bytes per connection.
     */
    /**
     * Packets waiting for the send in flight (portable path only), {@code null} while none wait: an idle
     * connection, and every connection written through {@link RawFrameWriter}, never makes one (an
     * empty deque with its array was 48 bytes per WebSocket). Dropped again once drained.
     */
    private ArrayDeque<EncodedPacket> queue;
    /** What waits in the queue plus the send in flight, as {@link #sizeOf} counts it. */
    private long queuedBytes;
    private long inFlightBytes;
    private boolean sending;
    private boolean inPump;
    private boolean completedInline;
    private boolean closeWhenDrained;
    private boolean closed;

    /**
     * @param raw    where whole frames may be written directly, or null for the portable API
     * @param engine the engine: its {@code max-buffered-bytes} bounds the portable queue, and its
     *               timer reports a dropped connection to the session
     */
    WebSocketTransport(Session ws, RawFrameWriter.Target raw, EngineServer engine) {
        this(ws, raw, engine, false);
    }

    /**
     * @param deflate whether the connection negotiated Parley's permessage-deflate: frames written
     *                through {@code raw} are then compressed per packet (its compress flag and the
     *                threshold); on the portable API the extension compresses by the threshold alone
     */
    WebSocketTransport(Session ws, RawFrameWriter.Target raw, EngineServer engine, boolean deflate) {
        this.ws = ws;
        this.raw = raw;
        this.engine = engine;
        this.deflate = deflate;
    }

    void bind(EngineSession session) {
        this.session = session;
    }

    EngineSession session() {
        return session;
    }

    /**
     * A binary message of this transport's connection: the transport is also its connection's binary
     * message handler (the endpoint is the text one), one object less per connection; containers
     * read the message type from the generic interface.
     */
    @Override
    public void onMessage(byte[] frame) {
        EngineSession bound = session;
        if (bound != null) {
            bound.onPacket(this, EngineCodec.decodeBinary(frame));
        }
    }

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public boolean isWritable() {
        synchronized (this) {
            return !closed && !closeWhenDrained;
        }
    }

    @Override
    public void send(List<EncodedPacket> packets, Delivery delivery) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (raw != null) {
                // The frame of each packet was built once and is shared by every recipient of a
                // broadcast; the target gathers the frames waiting for this connection into one write.
                for (EncodedPacket p : packets) {
                    raw.write(frameOf(p), delivery);
                }
                return;
            }
            long size = 0;
            for (EncodedPacket p : packets) {
                size += sizeOf(p);
            }
            // The session bounds what waits here (OutboundBound, through waitingBytes); this is its
            // backstop, worked out when needed (portable path only) rather than kept per connection.
            if (queuedBytes + size > OutboundBound.backstopBytes(engine.options().maxBufferedBytes())) {
                dropLocked();
                return;
            }
            queuedBytes += size;
            if (queue == null) {
                queue = new ArrayDeque<>(Math.max(2, packets.size()));
            }
            queue.addAll(packets);
            pumpLocked();
        }
    }

    /** The packet's frame, compressed when permessage-deflate is on, the packet allows it and it is long enough. */
    private byte[] frameOf(EncodedPacket p) {
        return p.webSocketFrame(deflate
                && engine.options().compression().deflatesMessage(p.compress(), p.webSocketPayloadLength()));
    }

    @Override
    public long waitingBytes() {
        if (raw != null) {
            return raw.waitingBytes();
        }
        synchronized (this) {
            return queuedBytes;
        }
    }

    @Override
    public long waitingPackets() {
        if (raw != null) {
            return raw.waitingFrames();
        }
        synchronized (this) {
            return (queue == null ? 0 : queue.size()) + (sending ? 1 : 0);
        }
    }

    /**
     * The client is a slow consumer, or a stopping server's grace is over: what waits is discarded
     * and the connection closed with 1008 (policy violation) or 1001 (going away) and the reason; a
     * native writer also cuts the TCP connection at once, as the close frame would wait behind what
     * the client has not read. (On the portable path the
     * container has no way to cut it: it ends when the close handshake or the container's timeout
     * does.)
     */
    @Override
    public void abort(EngineCloseReason reason) {
        // 1008 for a client that broke the bound, 1001 for a server going away.
        CloseReason.CloseCode code = reason == EngineCloseReason.SLOW_CONSUMER
                ? CloseReason.CloseCodes.VIOLATED_POLICY : CloseReason.CloseCodes.GOING_AWAY;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (raw == null) {
                closeNowLocked(code, reason.wire());
                return;
            }
            closed = true;
        }
        try {
            ws.close(new CloseReason(code, reason.wire()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing a slow consumer's websocket", e);
        }
        raw.abort();
    }

    private static long sizeOf(EncodedPacket p) {
        return p.isBinary() ? p.packet().binary().length : p.text().length();
    }

    /**
     * The client stopped reading: what waits is discarded and the container asked to close the
     * connection. The session hears of it on the engine's timer, never from inside a send (the
     * session calls {@link #send} holding its lock).
     */
    private void dropLocked() {
        LOG.log(Level.FINE, "dropping a connection that stopped reading ({0} bytes waiting)", queuedBytes);
        long waiting = queuedBytes;
        closeNowLocked(CloseReason.CloseCodes.VIOLATED_POLICY, "client stopped reading");
        EngineSession s = session;
        if (s != null) {
            try {
                engine.schedule(() -> s.onTransportError(this,
                        "client stopped reading: " + waiting + " bytes waiting for it"), 0);
            } catch (RejectedExecutionException stopping) {
                // The server is closing and ends every session itself.
            }
        }
    }

    @Override
    public void close(boolean sendClosePacket) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (raw != null) {
                closeWhenDrained = true;
                raw.whenDrained(() -> closeNow(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
            } else if (!sending && (queue == null || queue.isEmpty())) {
                closeNowLocked(CloseReason.CloseCodes.NORMAL_CLOSURE, "");
            } else {
                closeWhenDrained = true;
            }
        }
    }

    /** Closed: asked to close and its queued frames written (or dropped), the close sent. */
    @Override
    public boolean isClosed() {
        synchronized (this) {
            return closed;
        }
    }

    /** Closes the connection at once with a reason, e.g. a refused handshake. */
    void closeNow(CloseReason.CloseCode code, String reason) {
        synchronized (this) {
            closeNowLocked(code, reason);
        }
    }

    private void closeNowLocked(CloseReason.CloseCode code, String reason) {
        closed = true;
        clearLocked();
        try {
            if (ws.isOpen()) {
                ws.close(new CloseReason(code, reason));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing websocket", e);
        }
    }

    private void pumpLocked() {
        // A container may complete a send inside sendText itself; the flags turn
        // that into a loop rather than a recursion as deep as the queue.
        while (!sending) {
            EncodedPacket next = queue == null ? null : queue.poll();
            if (next == null) {
                queue = null;
                if (closeWhenDrained) {
                    closeNowLocked(CloseReason.CloseCodes.NORMAL_CLOSURE, "");
                }
                return;
            }
            sending = true;
            inFlightBytes = sizeOf(next);
            completedInline = false;
            inPump = true;
            try {
                if (next.isBinary()) {
                    ws.getAsyncRemote().sendBinary(ByteBuffer.wrap(next.packet().binary()), this);
                } else {
                    ws.getAsyncRemote().sendText(next.text(), this);
                }
            } catch (RuntimeException e) {
                // The connection is gone; its close callback reports it to the session.
                LOG.log(Level.FINE, "websocket send failed", e);
                closed = true;
                clearLocked();
                sending = false;
                return;
            } finally {
                inPump = false;
            }
            if (completedInline) {
                sending = false;
            }
        }
    }

    @Override
    public void onResult(SendResult result) {
        if (!result.isOK()) {
            synchronized (this) {
                closed = true;
                clearLocked();
                sending = false;
            }
            EngineSession s = session;
            if (s != null) {
                s.onTransportError(this, "send failed: " + result.getException());
            }
            return;
        }
        synchronized (this) {
            queuedBytes -= inFlightBytes;
            inFlightBytes = 0;
            if (inPump) {
                completedInline = true;
                return;
            }
            sending = false;
            pumpLocked();
        }
    }

    private void clearLocked() {
        queue = null;
        queuedBytes = 0;
        inFlightBytes = 0;
    }
}
