package dev.parley.transport.polling;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the answer to one suspended poll, away from whoever decided it: the session decides under
 * its lock, often on the timer thread, and neither may wait for a client to read. The write is handed
 * to a container thread ({@link AsyncContext#start}, or the executor the servlet was given; or to the end of
 * the poll's own dispatch when decided during it, see {@link DispatchGate}) and done with the servlet's non-blocking output
 * ({@link WriteListener}), so a client that does not read holds its socket and this small object, no
 * thread. Each poll is answered at most once, and the client sends its next poll only after reading
 * this answer, so answers of one session never overtake each other.
 */
final class PollResponse implements WriteListener {

    private static final Logger LOG = Logger.getLogger(PollResponse.class.getName());

    private final AsyncContext ctx;
    private final int status;
    private final String contentType;
    private final String coding;
    private final boolean vary;
    private byte[] body;
    private final Object lock = new Object();
    // Guarded by lock.
    private ServletOutputStream out;
    private boolean written;
    private boolean completed;

    private PollResponse(AsyncContext ctx, int status, String contentType, byte[] body, String coding, boolean vary) {
        this.ctx = ctx;
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.coding = coding;
        this.vary = vary;
    }

    /** Answers the poll with {@code body}; returns at once, the bytes go out on a container thread. */
    static void send(AsyncContext ctx, int status, String contentType, byte[] body) {
        send(ctx, status, contentType, body, null, false);
    }

    /**
     * As {@link #send(AsyncContext, int, String, byte[])}, the body compressed in {@code coding}
     * ({@link ContentCoding}, null for none) on the container thread, never the caller's (which may
     * hold a session's lock); {@code vary}: the answer depends on {@code Accept-Encoding}.
     */
    static void send(AsyncContext ctx, int status, String contentType, byte[] body, String coding, boolean vary) {
        PollResponse response = new PollResponse(ctx, status, contentType, body, coding, vary);
        // Never completed while the poll's own dispatch still runs (Grizzly's race): see DispatchGate.
        DispatchGate.afterDispatch(ctx, response::begin);
    }

    private void begin() {
        synchronized (lock) {
            try {
                HttpServletResponse resp = (HttpServletResponse) ctx.getResponse();
                resp.setStatus(status);
                resp.setContentType(contentType);
                if (vary) {
                    resp.addHeader("Vary", "Accept-Encoding");
                }
                if (coding != null) {
                    body = ContentCoding.encode(body, coding);
                    resp.setHeader("Content-Encoding", coding);
                }
                resp.setContentLength(body.length);
                out = resp.getOutputStream();
                out.setWriteListener(this);
                // Some containers (Grizzly) call onWritePossible only after isReady() said false
                // once, others call it right away: try now; the lock and the flags make a second
                // call harmless.
                writeLocked();
            } catch (IOException | IllegalStateException e) {
                // The client went away; the heartbeat ends the session if it does not come back.
                LOG.log(Level.FINE, "poll response failed", e);
                completeLocked();
            }
        }
    }

    @Override
    public void onWritePossible() throws IOException {
        synchronized (lock) {
            if (out != null) {
                writeLocked();
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        LOG.log(Level.FINE, "poll response failed", t);
        synchronized (lock) {
            completeLocked();
        }
    }

    /**
     * Writes the body when the output can take it without blocking (isReady), and completes the
     * response once it has gone out (isReady again); else waits for the next onWritePossible.
     */
    private void writeLocked() throws IOException {
        if (completed) {
            return;
        }
        if (!written) {
            if (!out.isReady()) {
                return;
            }
            written = true;
            out.write(body);
        }
        if (out.isReady()) {
            completeLocked();
        }
    }

    private void completeLocked() {
        if (completed) {
            return;
        }
        completed = true;
        try {
            ctx.complete();
        } catch (IllegalStateException alreadyDone) {
            LOG.log(Level.FINE, "poll already completed", alreadyDone);
        }
    }
}
