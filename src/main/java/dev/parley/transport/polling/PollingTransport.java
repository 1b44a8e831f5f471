package dev.parley.transport.polling;

import dev.parley.engine.Compression;
import dev.parley.engine.Delivery;
import dev.parley.engine.EngineError;
import dev.parley.engine.EngineSession;
import dev.parley.engine.Transport;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EncodedPacket;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
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
    private final Compression compression;
    private volatile EngineSession session;
    private final Object lock = new Object();

    // Guarded by lock.
    private AsyncContext pendingPoll;
    private String pendingT;
    /** The content coding the waiting poll accepts ({@link ContentCoding}), null for none or compression off. */
    private String pendingCoding;
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
    private boolean answeredCompressible;

    /** @param compression whether and from what size poll responses are compressed ({@code http-compression}) */
    PollingTransport(ClientClosedPolls clientClosed, Compression compression) {
        this.clientClosed = clientClosed;
        this.compression = compression;
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
     * A GET arrived, {@code t} its query's {@code t} (the engine parsed the query already: the container's
     * own parameter parsing is not asked for it). Returns false when another GET is already waiting (the
     * client broke the protocol; the caller answers 400 and the session ends).
     */
    boolean poll(AsyncContext ctx, String t, long timeoutMillis) {
        String coding = compression.httpCompression() && ctx.getRequest() instanceof HttpServletRequest http
                ? ContentCoding.negotiate(http.getHeader("Accept-Encoding")) : null;
        byte[] again = null;
        boolean againCompressible = false;
        synchronized (lock) {
            if (!closed && pendingPoll == null && t != null && t.equals(answeredT)) {
                again = answeredBody;
                againCompressible = answeredCompressible;
            } else {
                answeredT = null;
                answeredBody = null;
            }
        }
        if (again != null) {
            answer(ctx, again, againCompressible ? coding : null);
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
            pendingCoding = coding;
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
        String coding;
        synchronized (lock) {
            ctx = pendingPoll;
            t = pendingT;
            coding = pendingCoding;
            pendingPoll = null;
        }
        if (ctx != null) {
            byte[] body = encode(packets);
            // engine.io: a payload is compressed if any of its packets may be (compress flag), and
            // only from the threshold on.
            boolean compressible = compressible(packets, body);
            if (t != null) {
                synchronized (lock) {
                    answeredT = t;
                    answeredBody = body;
                    answeredCompressible = compressible;
                }
            }
            answer(ctx, body, compressible ? coding : null);
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

    private void respond(AsyncContext ctx, List<EncodedPacket> packets) {
        answer(ctx, encode(packets), null); // a noop or close packet: never above a threshold worth it
    }

    private boolean compressible(List<EncodedPacket> packets, byte[] body) {
        if (!compression.httpCompression() || body.length < compression.httpCompressionThreshold()) {
            return false;
        }
        for (EncodedPacket p : packets) {
            if (p.compress()) {
                return true;
            }
        }
        return false;
    }

    /** A 200 poll answer, compressed in {@code coding} unless null; it varies by Accept-Encoding when compression is on. */
    private void answer(AsyncContext ctx, byte[] body, String coding) {
        PollResponse.send(ctx, 200, CONTENT_TYPE, body, coding, compression.httpCompression());
    }

    // Encoded here, in the caller's order; written elsewhere (PollResponse), never by the caller,
    // which may hold the session's lock or be the timer thread.
    private static byte[] encode(List<EncodedPacket> packets) {
        return EngineCodec.encodePayloadBytes(packets);
    }
}
