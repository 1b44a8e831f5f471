package dev.parley.standalone;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.memory.Buffers;

/**
 * The deadlines of the standalone server's HTTP connections, like Node's {@code headersTimeout}
 * and {@code keepAliveTimeout}. A connection is in one of four stages, as the filters of
 * {@link ConnectionGuards} report them:
 * <ul>
 * <li>awaiting a request's headers, from its opening or from the end of the previous response:
 * closed at {@code headerTimeout} after that, with a 408 if part of a request arrived;</li>
 * <li>kept alive, idle after a response: closed at {@code keepAliveTimeout} (or the header
 * deadline if sooner) unless bytes of a next request arrive, which makes it await headers;</li>
 * <li>in a request, from its headers to the end of its response: no deadline (a long-poll waits
 * for data; a slow body is the servlet's business);</li>
 * <li>upgraded to WebSocket (a 101 went out): no deadline ever; it is forgotten here.</li>
 * </ul>
 * One scheduler thread, {@code parley-http-timeouts}, holds at most one task per HTTP connection.
 */
final class HttpTimeouts implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HttpTimeouts.class.getName());

    /** What Node answers to a request whose headers did not arrive in time. */
    private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private static final Attribute<Watch> WATCH =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(HttpTimeouts.class.getName() + ".watch");

    private enum Stage { AWAITING_HEADERS, KEPT_ALIVE, IN_REQUEST }

    private final long headerMillis;
    private final long keepAliveMillis;
    private final ScheduledThreadPoolExecutor timer;

    HttpTimeouts(long headerMillis, long keepAliveMillis) {
        this.headerMillis = headerMillis;
        this.keepAliveMillis = keepAliveMillis;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "parley-http-timeouts");
            t.setDaemon(true);
            return t;
        });
        // A deadline is cancelled at every request; without this the queue would keep them all until due.
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A connection was accepted: it has until the header deadline to send a request. */
    void opened(Connection<?> connection) {
        Watch w = new Watch(connection, System.nanoTime());
        WATCH.set(connection, w);
        synchronized (w.lock) {
            w.awaitLocked(Stage.AWAITING_HEADERS, headerMillis);
        }
    }

    /** Bytes arrived before the codec: on a kept-alive connection they begin a request. */
    void bytesArrived(Connection<?> connection) {
        Watch w = WATCH.get(connection);
        if (w == null) {
            return;
        }
        synchronized (w.lock) {
            if (w.stage != Stage.IN_REQUEST) {
                w.partialRequest = true;
            }
            if (w.stage == Stage.KEPT_ALIVE) {
                w.awaitLocked(Stage.AWAITING_HEADERS, headerMillis);
            }
        }
    }

    /** A request's headers are complete: no deadline until its response is done. */
    void requestStarted(Connection<?> connection) {
        Watch w = WATCH.get(connection);
        if (w == null) {
            return;
        }
        synchronized (w.lock) {
            w.requestsStarted++;
            if (w.stage != Stage.IN_REQUEST) {
                w.stage = Stage.IN_REQUEST;
                w.partialRequest = false;
                w.cancelLocked();
            }
        }
    }

    /**
     * A response is complete: the connection is kept alive, idle, from now, unless the client has
     * already started its next request on it (Grizzly's response-complete event may come after the
     * next request's headers were read: the connection is then still in a request, and closing it as
     * idle would cut that request, a waiting long-poll or a POST already read). Said again while kept
     * alive (a later write of the same response), the idle time counts from then.
     */
    void responseDone(Connection<?> connection) {
        Watch w = WATCH.get(connection);
        if (w == null) {
            return;
        }
        synchronized (w.lock) {
            // At most one per request started: a response said done twice counts once.
            w.responsesDone = Math.min(w.responsesDone + 1, w.requestsStarted);
            if (w.responsesDone < w.requestsStarted) {
                return; // a later request is in progress
            }
            if (w.stage == Stage.IN_REQUEST || w.stage == Stage.KEPT_ALIVE) {
                w.since = System.nanoTime();
                w.partialRequest = false;
                w.awaitLocked(Stage.KEPT_ALIVE, Math.min(keepAliveMillis, headerMillis));
            }
        }
    }

    /** The connection is a WebSocket now: its liveness is the Engine.IO heartbeat's business. */
    void upgraded(Connection<?> connection) {
        Watch w = WATCH.get(connection);
        if (w != null) {
            WATCH.remove(connection);
            synchronized (w.lock) {
                w.cancelLocked();
            }
        }
    }

    void closed(Connection<?> connection) {
        upgraded(connection); // the same forgetting
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One connection's stage and its pending deadline. Guarded by itself. */
    private final class Watch {
        /** Guards this watch's fields; only state and timer tasks change under it, no I/O. */
        private final Object lock = new Object();
        private final Connection<?> connection;
        private Stage stage;
        /** When the current wait began: the opening, or the end of the previous response (nanoTime). */
        private long since;
        /** Requests whose headers were read, and responses done, on this connection. */
        private long requestsStarted;
        private long responsesDone;
        /** Whether some bytes of a request arrived while awaiting its headers. */
        private boolean partialRequest;
        private ScheduledFuture<?> deadline;
        /** Tells a deadline that fires after being replaced (cancel does not stop a running task). */
        private long generation;

        Watch(Connection<?> connection, long since) {
            this.connection = connection;
            this.since = since;
        }

        void awaitLocked(Stage next, long millis) {
            stage = next;
            cancelLocked();
            long left = TimeUnit.MILLISECONDS.toNanos(millis) - (System.nanoTime() - since);
            long current = generation;
            try {
                deadline = timer.schedule(() -> expire(current), Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                deadline = null; // the server is closing, and the connection with it
            }
        }

        void cancelLocked() {
            generation++;
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        private void expire(long scheduledAt) {
            boolean answer;
            Stage expired;
            synchronized (lock) {
                if (scheduledAt != generation || stage == Stage.IN_REQUEST) {
                    return; // overtaken by a request, an upgrade or a close
                }
                deadline = null;
                expired = stage;
                answer = stage == Stage.AWAITING_HEADERS && partialRequest;
            }
            LOG.fine(() -> (answer ? "408 to " : "closing ") + connection.getPeerAddress() + ": timed out " + expired);
            if (answer) {
                connection.write(Buffers.wrap(connection.getMemoryManager(), REQUEST_TIMEOUT));
            }
            connection.closeSilently(); // graceful: after the 408 is written
        }
    }
}
