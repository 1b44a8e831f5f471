package dev.parley.transport.polling;

import dev.parley.engine.Delivery;
import dev.parley.engine.EngineError;
import dev.parley.engine.EngineSession;
import dev.parley.engine.Transport;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EncodedPacket;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The long-polling transport of one session: at most one GET waits (as a suspended
 * {@link AsyncContext}, no thread held) until there is something to send; POSTs carry packets in.
 * Its own small lock guards the waiting poll, so a poll can arrive while the session is busy.
 */
final class PollingTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(PollingTransport.class.getName());

    private volatile EngineSession session;
    private final Object lock = new Object();

    // Guarded by lock.
    private AsyncContext pendingPoll;
    private boolean posting;
    private boolean closed;

    void bind(EngineSession session) {
        this.session = session;
    }

    EngineSession session() {
        return session;
    }

    @Override
    public String name() {
        return "polling";
    }

    /** Every send is a whole HTTP response: let packets gather for one. */
    @Override
    public boolean gathersPackets() {
        return true;
    }

    @Override
    public boolean isWritable() {
        synchronized (lock) {
            return pendingPoll != null;
        }
    }

    /**
     * A GET arrived. Returns false when another GET is already waiting (the client broke the
     * protocol; the caller answers 400 and the session ends).
     */
    boolean poll(AsyncContext ctx, long timeoutMillis) {
        synchronized (lock) {
            if (closed) {
                respond(ctx, List.of(EncodedPacket.NOOP));
                return true;
            }
            if (pendingPoll != null) {
                return false;
            }
            pendingPoll = ctx;
        }
        ctx.setTimeout(timeoutMillis);
        ctx.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                // Heartbeats normally end a poll long before this; answer rather than hang.
                answerIfPending(event.getAsyncContext(), EncodedPacket.NOOP);
            }

            @Override
            public void onError(AsyncEvent event) {
                if (clearIfPending(event.getAsyncContext())) {
                    EngineSession s = session;
                    if (s != null) {
                        s.onTransportClose(PollingTransport.this, "poll aborted");
                    }
                }
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        EngineSession s = session;
        if (s != null) {
            s.onDrain(this);
        }
        return true;
    }

    /** Marks a POST in progress; false when one already is (overlapping POSTs are refused). */
    boolean beginPost() {
        synchronized (lock) {
            if (posting) {
                return false;
            }
            posting = true;
            return true;
        }
    }

    void endPost() {
        synchronized (lock) {
            posting = false;
        }
    }

    @Override
    public void send(List<EncodedPacket> packets, Delivery delivery) {
        AsyncContext ctx;
        synchronized (lock) {
            ctx = pendingPoll;
            pendingPoll = null;
        }
        if (ctx != null) {
            respond(ctx, packets);
        }
    }

    @Override
    public void close(boolean sendClosePacket) {
        AsyncContext ctx = closeAndTakePendingPoll();
        if (ctx != null) {
            respond(ctx, List.of(sendClosePacket ? EncodedPacket.CLOSE : EncodedPacket.NOOP));
        }
    }

    @Override
    public void discard() {
        AsyncContext ctx = closeAndTakePendingPoll();
        if (ctx != null) {
            try {
                PollingServlet.error((HttpServletResponse) ctx.getResponse(), EngineError.BAD_REQUEST);
            } catch (IOException | IllegalStateException e) {
                LOG.log(Level.FINE, "refusing a poll after the upgrade", e);
            } finally {
                ctx.complete();
            }
        }
    }

    /** Marks the transport closed and hands back the poll still waiting, if any (null when already closed). */
    private AsyncContext closeAndTakePendingPoll() {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            closed = true;
            AsyncContext ctx = pendingPoll;
            pendingPoll = null;
            return ctx;
        }
    }

    private void answerIfPending(AsyncContext ctx, EncodedPacket packet) {
        if (clearIfPending(ctx)) {
            respond(ctx, List.of(packet));
        }
    }

    private boolean clearIfPending(AsyncContext ctx) {
        synchronized (lock) {
            if (pendingPoll == ctx) {
                pendingPoll = null;
                return true;
            }
            return false;
        }
    }

    private static void respond(AsyncContext ctx, List<EncodedPacket> packets) {
        byte[] body = EngineCodec.encodePayloadFrom(packets).getBytes(StandardCharsets.UTF_8);
        try {
            HttpServletResponse response = (HttpServletResponse) ctx.getResponse();
            response.setStatus(200);
            response.setContentType("text/plain; charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (IOException | IllegalStateException e) {
            // The client went away; the heartbeat ends the session if it does not come back.
            LOG.log(Level.FINE, "poll response failed", e);
        } finally {
            try {
                ctx.complete();
            } catch (IllegalStateException alreadyDone) {
                LOG.log(Level.FINE, "poll already completed", alreadyDone);
            }
        }
    }
}
