package dev.parley.transport.polling;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Holds back the completion of an async request until the container thread dispatching it has returned
 * from the servlet's {@code service}. An answer decided meanwhile (the handshake's open packet, packets
 * already buffered when a poll arrives, a POST body read at once, or any other thread's emit, heartbeat
 * or close racing the dispatch) is handed to a container thread ({@link AsyncContext#start}, or the
 * executor the servlet was given) only when the dispatch ends; one decided later is handed over at once, as before.
 *
 * <p>Why: Grizzly's servlet layer (grizzly-http-servlet 4.0.2, the standalone server) is not safe when
 * another thread completes an async request while its dispatch is still running: {@code complete()}
 * resumes and recycles the request under the dispatching thread, which then fails in
 * {@code HttpServletRequestImpl.onAfterService} (a NullPointerException logged SEVERE) and in
 * {@code ProcessorExecutor} (WARNING). Most answers that raced it were decided during the dispatch (by the
 * dispatching thread itself, packets already waiting), and were handed to a pool thread that could complete
 * them before the dispatch returned; now they leave only after {@code service} returned. Grizzly still works on
 * the request after that ({@code onAfterService}, then resuming the connection), so with an executor the gate
 * opens through it: the executor given must start a task handed over by a dispatching thread only once that
 * dispatch is over, as the standalone server's ({@code standalone.GrizzlyWorkers}) does; until then answers
 * decided by other threads are held too. Without one ({@link AsyncContext#start}, a WAR's container), the
 * gate opens when {@code service} returns, and an answer decided in the instructions that follow goes through
 * the container's {@code start}.
 */
final class DispatchGate {

    private static final String ATTRIBUTE = DispatchGate.class.getName();
    private static final Logger LOG = Logger.getLogger(DispatchGate.class.getName());

    private final Executor executor;
    private final Object lock = new Object();
    // Guarded by lock.
    private boolean dispatching = true;
    private List<Held> held;

    private DispatchGate(Executor executor) {
        this.executor = executor;
    }

    /**
     * Opens the gate of a request being dispatched; call {@link #close} when {@code service} ends.
     * {@code executor} runs the request's later tasks (null: the container's {@link AsyncContext#start}).
     */
    static DispatchGate open(ServletRequest request, Executor executor) {
        DispatchGate gate = new DispatchGate(executor);
        request.setAttribute(ATTRIBUTE, gate);
        return gate;
    }

    /**
     * Runs {@code task} (which ends by completing {@code ctx}) once the request's dispatch has returned:
     * on a container thread, handed to it when the dispatch ends if it is still running, else now.
     * Returns at once.
     */
    static void afterDispatch(AsyncContext ctx, Runnable task) {
        Object gate;
        try {
            gate = ctx.getRequest().getAttribute(ATTRIBUTE);
        } catch (IllegalStateException completedAlready) {
            gate = null;
        }
        Executor executor = gate instanceof DispatchGate g ? g.executor : null;
        if (gate instanceof DispatchGate g && g.hold(new Held(ctx, task))) {
            return;
        }
        start(ctx, executor, task);
    }

    private static void start(AsyncContext ctx, Executor executor, Runnable task) {
        try {
            if (executor != null) {
                executor.execute(task);
            } else {
                ctx.start(task);
            }
        } catch (RuntimeException notAccepted) {
            // The container refuses new work on this request (failing or stopping): the task is
            // non-blocking all the same, only the thread differs.
            task.run();
        }
    }

    private boolean hold(Held task) {
        synchronized (lock) {
            if (!dispatching) {
                return false;
            }
            if (held == null) {
                held = new ArrayList<>(1);
            }
            held.add(task);
            return true;
        }
    }

    /**
     * The dispatch is done with its work: hands what was held to container threads, through the executor
     * when there is one (which starts it only once the dispatch is over, see above). Not run on the
     * dispatching thread itself within its dispatch: completing there takes another path in Grizzly, which
     * closed connections of other requests under load in the hostile-input matrix (their clients read no bytes).
     */
    void close() {
        if (executor != null) {
            try {
                executor.execute(() -> release(true));
                return;
            } catch (RuntimeException notAccepted) {
                // stopping: released here, as without an executor
            }
        }
        release(false);
    }

    /** Opens the gate: later answers leave at once; those held leave now, in the order they were decided. */
    private void release(boolean onExecutor) {
        List<Held> run;
        synchronized (lock) {
            dispatching = false;
            run = held;
            held = null;
        }
        if (run == null) {
            return;
        }
        for (Held h : run) {
            if (onExecutor) {
                // Already on one of the executor's threads, after the dispatch: no second hand-over.
                try {
                    h.task().run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a polling answer failed", e);
                }
            } else {
                start(h.ctx(), executor, h.task());
            }
        }
    }

    /** An answer decided during the dispatch: the task that completes {@code ctx}. */
    private record Held(AsyncContext ctx, Runnable task) {
    }
}
