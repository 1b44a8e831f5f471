package dev.parley.transport.polling;

import dev.parley.engine.EngineServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads one request body with Servlet non-blocking I/O, so a client that sends its body slowly (or
 * never) holds no container thread: whenever the container says bytes are ready, they are copied
 * without blocking, and the reader stops at the first of
 * <ul>
 * <li>the end of the body (its Content-Length read, or the container's end of data): {@link Outcome#body},</li>
 * <li>more than {@code maxBytes}: {@link Outcome#tooLarge} (the rest is left unread),</li>
 * <li>the deadline: {@link Outcome#timedOut} (the rest is left unread),</li>
 * <li>a read error, usually the client leaving: {@link Outcome#aborted}.</li>
 * </ul>
 * Exactly one outcome is reported, once, then the reader completes the {@link AsyncContext}. The
 * outcome runs on the request's own thread when the body came whole with the headers (the usual
 * small POST, no hand-over), else on a container thread got from {@link AsyncContext#start}: never on the engine's
 * timer thread (which every heartbeat shares) and never on a container I/O thread (Undertow calls
 * read listeners there), because an outcome hands packets to the application and writes the answer
 * with blocking I/O.
 *
 * <p>The deadline runs on the engine's timer ({@link EngineServer#schedule}); the container's own
 * async timeout is set a little later, as a backstop should the engine be closing. Only portable
 * Servlet 6 API: the same code runs on Grizzly (standalone, Payara) and Undertow (WildFly).
 */
final class PostBodyReader implements ReadListener, AsyncListener {

    private static final Logger LOG = Logger.getLogger(PostBodyReader.class.getName());

    /** How long after the deadline the container's async timeout fires, should the engine's timer not. */
    static final long BACKSTOP_MILLIS = 10_000;

    /** What becomes of the request. Exactly one method is called, once, on a container thread. */
    interface Outcome {
        /** The whole body arrived. */
        void body(byte[] body) throws IOException;

        /** The body grew past the limit. */
        void tooLarge() throws IOException;

        /** The body did not arrive in time. */
        void timedOut() throws IOException;

        /** Reading failed (the client left mid-body): there is nobody to answer. */
        void aborted(Throwable cause);
    }

    /** The monitor of one reader; a class of its own so that a thread dump names it. */
    private static final class BodyReadLock {
    }

    private final AsyncContext ctx;
    private final ServletInputStream in;
    private final int maxBytes;
    private final long declaredLength;
    private final Outcome outcome;
    private final BodyReadLock lock = new BodyReadLock();

    // Guarded by lock.
    private final ByteArrayOutputStream body;
    private final byte[] chunk = new byte[8192];
    private boolean done;
    private ScheduledFuture<?> deadline;

    /**
     * @param ctx            the started async context of the request
     * @param in             its input stream, no listener set yet
     * @param maxBytes       largest body accepted
     * @param declaredLength the Content-Length, or -1 (only sizes the buffer)
     * @param outcome        told how reading ended
     */
    PostBodyReader(AsyncContext ctx, ServletInputStream in, int maxBytes, long declaredLength, Outcome outcome) {
        this.ctx = ctx;
        this.in = in;
        this.maxBytes = maxBytes;
        this.declaredLength = declaredLength;
        this.outcome = outcome;
        this.body = new ByteArrayOutputStream((int) Math.min(maxBytes, declaredLength > 0 ? declaredLength : 256));
    }

    /**
     * Starts reading and arms the deadline. Call on the request's own thread, right after
     * {@code startAsync()}. A body that came whole with the headers (the usual small POST) is
     * answered right here, on this thread, with no deadline armed and no hand-over to another.
     */
    void start(EngineServer engine, long timeoutMillis) {
        ctx.setTimeout(timeoutMillis + BACKSTOP_MILLIS);
        ctx.addListener(this);
        in.setReadListener(this);
        // Grizzly's own servlet layer (the standalone server) calls onDataAvailable only after
        // isReady() has once answered false, not by itself: read what is there already, which also
        // arms that notification. On containers that do call it first, that call finds nothing left.
        Step end = readAvailable();
        if (end != null) {
            finish(end, true);
            return;
        }
        synchronized (lock) {
            if (done) {
                return; // the rest arrived on another thread meanwhile, which answers
            }
            try {
                deadline = engine.schedule(this::deadlinePassed, timeoutMillis);
            } catch (RejectedExecutionException closing) {
                // The engine is shutting down; the container's async timeout still ends the request.
            }
        }
    }

    @Override
    public void onDataAvailable() {
        Step end = readAvailable();
        if (end != null) {
            finish(end, false);
        }
    }

    /** Copies what is ready without blocking; the outcome when reading is over, else null. */
    private Step readAvailable() {
        synchronized (lock) {
            if (done) {
                return null; // answered already (timed out): the rest of the body stays unread
            }
            try {
                while (in.isReady()) {
                    int n = in.read(chunk);
                    if (n < 0) {
                        return claim() ? this::deliverBody : null;
                    }
                    if (body.size() + n > maxBytes) {
                        return claim() ? this::tooLarge : null;
                    }
                    body.write(chunk, 0, n);
                    if (body.size() == declaredLength) {
                        // All the Content-Length promised is in: the body is complete now. Waiting for
                        // the container's onAllDataRead as well only adds a hop, and hangs the answer
                        // on one more notification. (One POST among ~25,000 once went unanswered
                        // under load before this; Grizzly's InputBuffer, which clears and sets its
                        // handler from different threads without a lock, is the suspect, not proven.)
                        // A chunked body still ends with onAllDataRead.
                        return claim() ? this::deliverBody : null;
                    }
                }
                return null;
            } catch (IOException | RuntimeException e) {
                return claim() ? () -> outcome.aborted(e) : null;
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (claimUnderLock()) {
            finish(this::deliverBody, false);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (claimUnderLock()) {
            finish(() -> outcome.aborted(t), false);
        }
    }

    /** On the engine's timer thread: only decide here, answer on a container thread. */
    private void deadlinePassed() {
        if (claimUnderLock()) {
            finish(this::timedOut, false);
        }
    }

    // ---------------------------------------------------------------- AsyncListener (the container's view)

    @Override
    public void onTimeout(AsyncEvent event) {
        // The backstop: the container wants the request completed before this returns.
        if (claimUnderLock()) {
            finish(this::timedOut, true);
        }
    }

    @Override
    public void onError(AsyncEvent event) {
        if (claimUnderLock()) {
            finish(() -> outcome.aborted(event.getThrowable()), true);
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    // ---------------------------------------------------------------- internals

    private boolean claimUnderLock() {
        synchronized (lock) {
            return claim();
        }
    }

    /** Marks reading over; true for the one caller that gets to report the outcome. Holds the lock. */
    private boolean claim() {
        if (done) {
            return false;
        }
        done = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        return true;
    }

    private interface Step {
        void run() throws IOException;
    }

    private void deliverBody() throws IOException {
        byte[] bytes;
        synchronized (lock) {
            bytes = body.toByteArray();
        }
        outcome.body(bytes);
    }

    private void tooLarge() throws IOException {
        outcome.tooLarge();
    }

    private void timedOut() throws IOException {
        outcome.timedOut();
    }

    /** Runs the outcome, on a container thread unless {@code inline}, then completes the request. */
    private void finish(Step step, boolean inline) {
        Runnable task = () -> {
            try {
                step.run();
            } catch (IOException e) {
                // Writing the answer failed: the client is gone, nothing to tell it.
                LOG.fine(() -> "answering a POST failed: " + e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "handling a POST body failed", e);
            } finally {
                try {
                    ctx.complete();
                } catch (IllegalStateException alreadyDone) {
                    LOG.fine(() -> "POST already completed: " + alreadyDone);
                }
            }
        };
        if (inline) {
            task.run();
            return;
        }
        // Not completed while the POST's own dispatch still runs (Grizzly's race): see DispatchGate.
        DispatchGate.afterDispatch(ctx, task);
    }
}
