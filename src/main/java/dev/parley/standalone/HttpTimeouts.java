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
 * A connection's task is not moved at every request: it stays where it is while the deadline only moves
 * later (each request ends later than the one before) and, when it fires, looks at the deadline then in
 * force: none while a request is in progress, later than now (scheduled again for it), or past (the
 * connection is closed). A busy keep-alive connection (a long-polling client sends a request per
 * response) so costs the scheduler a task every few seconds, not two per request.
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
        // A task is cancelled when its connection is upgraded or closed; without this the queue would keep it until due.
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
                w.inRequestLocked();
                w.partialRequest = false;
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
                w.forgetLocked();
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
        /** When the current waiting stage ends (nanoTime); not used while in a request. */
        private long dueNanos;
        /** The pending task (at most one), when it fires, and its number, which tells a replaced one that fires anyway. */
        private ScheduledFuture<?> task;
        private long taskAtNanos;
        private long taskSeq;
        /** Upgraded or closed: no deadline ever again. */
        private boolean forgotten;

        Watch(Connection<?> connection, long since) {
            this.connection = connection;
            this.since = since;
        }

        /** Enters a waiting stage whose deadline is {@code millis} after {@link #since}. */
        void awaitLocked(Stage next, long millis) {
            stage = next;
            dueNanos = since + TimeUnit.MILLISECONDS.toNanos(millis);
            if (!forgotten && (task == null || taskAtNanos - dueNanos > 0)) {
                // None pending, or the one pending fires after this deadline: (re)schedule for it.
                scheduleLocked(dueNanos);
            } // else the pending task fires first and looks again then
        }

        /** A request is in progress: no deadline; a pending task finds so when it fires. */
        void inRequestLocked() {
            stage = Stage.IN_REQUEST;
        }

        /** Upgraded or closed: nothing is due ever again, and the pending task is let go now. */
        void forgetLocked() {
            forgotten = true;
            cancelTaskLocked();
        }

        private void scheduleLocked(long atNanos) {
            cancelTaskLocked();
            long seq = ++taskSeq;
            taskAtNanos = atNanos;
            try {
                task = timer.schedule(() -> fire(seq), Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                task = null; // the server is closing, and the connection with it
            }
        }

        private void cancelTaskLocked() {
            if (task != null) {
                task.cancel(false);
                task = null;
            }
        }

        private void fire(long seq) {
            boolean answer;
            Stage expired;
            synchronized (lock) {
                if (seq != taskSeq || forgotten) {
                    return; // replaced, or the connection was upgraded or closed meanwhile
                }
                task = null;
                if (stage == Stage.IN_REQUEST) {
                    return; // no deadline now; the end of the response sets the next one
                }
                if (dueNanos - System.nanoTime() > 0) {
                    scheduleLocked(dueNanos); // the deadline moved on since this task was scheduled
                    return;
                }
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
