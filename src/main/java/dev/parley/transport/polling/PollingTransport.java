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
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The long-polling transport of one session: at most one GET waits (as a suspended
 * {@link AsyncContext}, no thread held) until there is something to send; POSTs carry packets in.
 * Its own small lock guards the waiting poll, so a poll can arrive while the session is busy.
 */
final class PollingTransport implements Transport {

    private static final String CONTENT_TYPE = "text/plain; charset=UTF-8";

    private final ClientClosedPolls clientClosed;
    private volatile EngineSession session;
    private final Object lock = new Object();

    // Guarded by lock.
    private AsyncContext pendingPoll;
    private String pendingT;
    private boolean posting;
    private boolean closed;
    /**
     * The last answered poll's {@code t} (the client's per-request token) and body, kept until a poll with another
     * token shows the client read it. An HTTP client may send a GET again by itself when its connection breaks
     * before the response is read (the JDK's HttpClient and browsers retry idempotent requests on a reused
     * connection); the packets of the lost response were taken from the session already, so the same request
     * (same {@code t}) gets the same answer rather than the next packets, which would leave a hole.
     */
    private String answeredT;
    private byte[] answeredBody;

    PollingTransport(ClientClosedPolls clientClosed) {
        this.clientClosed = clientClosed;
    }

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
        String t = ctx.getRequest().getParameter("t");
        byte[] again = null;
        synchronized (lock) {
            if (!closed && pendingPoll == null && t != null && t.equals(answeredT)) {
                again = answeredBody;
            } else {
                answeredT = null;
                answeredBody = null;
            }
        }
        if (again != null) {
            PollResponse.send(ctx, 200, CONTENT_TYPE, again);
            return true;
        }
        synchronized (lock) {
            if (closed) {
                // A poll that raced the client's own close packet (see ClientClosedPolls).
                EngineSession s = session;
                if (s != null) {
                    clientClosed.forget(s.id(), this);
                }
                respond(ctx, List.of(EncodedPacket.NOOP));
                return true;
            }
            if (pendingPoll != null) {
                return false;
            }
            pendingPoll = ctx;
            pendingT = t;
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
        String t;
        synchronized (lock) {
            ctx = pendingPoll;
            t = pendingT;
            pendingPoll = null;
        }
        if (ctx != null) {
            byte[] body = encode(packets);
            if (t != null) {
                synchronized (lock) {
                    answeredT = t;
                    answeredBody = body;
                }
            }
            PollResponse.send(ctx, 200, CONTENT_TYPE, body);
        }
    }

    @Override
    public void close(boolean sendClosePacket) {
        AsyncContext ctx;
        synchronized (lock) {
            boolean wasOpen = !closed;
            ctx = closeAndTakePendingPollLocked();
            EngineSession s = session;
            if (wasOpen && ctx == null && !sendClosePacket && s != null) {
                // The client closed the session (close packet) with no poll waiting: one may be on its
                // way. Registered under the lock, so a poll arriving now either finds it or removes it.
                clientClosed.add(s.id(), this);
            }
        }
        if (ctx != null) {
            respond(ctx, List.of(sendClosePacket ? EncodedPacket.CLOSE : EncodedPacket.NOOP));
        }
    }

    @Override
    public void discard() {
        AsyncContext ctx;
        synchronized (lock) {
            ctx = closeAndTakePendingPollLocked();
        }
        if (ctx != null) {
            // Refused as the reference server refuses polls after an upgrade; called under the
            // session's lock, so written elsewhere too.
            EngineError refusal = EngineError.BAD_REQUEST;
            PollResponse.send(ctx, refusal.httpStatus(), "application/json",
                    refusal.json().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Marks the transport closed and hands back the poll still waiting, if any (null when already closed). */
    private AsyncContext closeAndTakePendingPollLocked() {
        if (closed) {
            return null;
        }
        closed = true;
        AsyncContext ctx = pendingPoll;
        pendingPoll = null;
        return ctx;
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
        PollResponse.send(ctx, 200, CONTENT_TYPE, encode(packets));
    }

    // Encoded here, in the caller's order; written elsewhere (PollResponse), never by the caller,
    // which may hold the session's lock or be the timer thread.
    private static byte[] encode(List<EncodedPacket> packets) {
        return EngineCodec.encodePayloadFrom(packets).getBytes(StandardCharsets.UTF_8);
    }
}
