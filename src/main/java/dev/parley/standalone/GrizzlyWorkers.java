package dev.parley.standalone;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.IOStrategy;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.threadpool.GrizzlyExecutorService;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;

/**
 * The worker pool of the standalone server's Grizzly listener, the pool that runs its servlets, and
 * the executor of {@code PollingServlet}'s answers (poll answers, POST outcomes). Its one rule: a task
 * handed over by a thread that is running one of the pool's tasks starts only once that task has
 * returned. A servlet's dispatch is such a task, and Grizzly's servlet layer (4.0.2) finishes a
 * dispatch after {@code service} returns ({@code HttpServletRequestImpl.onAfterService}, then the
 * handler resumes the connection unless the request went async): an async request completed by
 * another thread before that is recycled under the dispatching thread (a NullPointerException in
 * {@code onAfterService} or in {@code FilterChainContext.resume}, and the connection's request and
 * response reused while still in use). So an answer decided during a dispatch runs only when the
 * dispatch is entirely over, never in the instructions after {@code service}: on the same worker,
 * right after it (no second thread woken for it).
 *
 * <p>Tasks handed over from other threads (the timer, the WebSocket writer, an application's own)
 * start at once on a pool thread. A task handed over from within a pool task waits for that task only:
 * no longer than the rest of the dispatch or read that decided it, and the tasks handed over before it
 * by the same pool task. Threads: Grizzly's own workers
 * ({@code Grizzly(n)}), as many as the listener's worker pool configuration says.
 */
final class GrizzlyWorkers implements Executor {

    /** This thread's tasks held back until its current pool task or selector event is over. */
    private static final ThreadLocal<HeldBack> HELD_BACK = ThreadLocal.withInitial(HeldBack::new);

    private final ExecutorService pool;

    private GrizzlyWorkers(ExecutorService pool) {
        this.pool = pool;
    }

    /**
     * Creates the listener transport's worker pool from its configuration and installs it, each of its
     * tasks wrapped to keep the rule above, and wraps the transport's I/O strategy so that a selector
     * thread's events keep it too. Call before the listener starts; {@link #shutdown()} after it stopped
     * (the transport does not stop a pool it was given).
     */
    static GrizzlyWorkers install(Transport transport) {
        ThreadPoolConfig config = transport.getWorkerThreadPoolConfig();
        if (config == null) {
            config = ThreadPoolConfig.defaultConfig();
        }
        GrizzlyWorkers workers = new GrizzlyWorkers(GrizzlyExecutorService.createInstance(config));
        transport.setWorkerThreadPool(workers.new Wrapping());
        transport.setIOStrategy(new AfterEachEvent(transport.getIOStrategy()));
        return workers;
    }

    @Override
    public void execute(Runnable task) {
        HeldBack held = HELD_BACK.get();
        if (held.active) {
            held.tasks.add(task);
        } else {
            pool.execute(wrapped(task));
        }
    }

    /** Stops the pool's threads once their tasks are done. */
    void shutdown() {
        pool.shutdown();
    }

    private static Runnable wrapped(Runnable task) {
        return () -> {
            HeldBack held = HELD_BACK.get();
            if (held.active) {
                task.run(); // run by a task of this pool itself (a rejected hand-over): its tasks join the queue
                return;
            }
            held.active = true;
            try {
                task.run();
            } finally {
                held.runAndEnd();
            }
        };
    }

    /**
     * The tasks handed over on one thread during its current pool task or selector event. When that is over
     * they run on the same thread, in the order they were handed over, then those they handed over, and so
     * on: each starts only once the task that handed it over has returned, which is all the rule asks.
     * Running them there rather than each on another pool thread saves a thread wake-up per poll (every
     * dispatch of the polling servlet hands over at least its {@code DispatchGate}'s release, and a poll
     * answered at once its answer), and on a selector thread it is what lets a poll be answered where it was
     * read (see {@link AfterEachEvent}). A held task that fails does not keep the others from running; its
     * failure goes to the thread's uncaught-exception handler. One per thread, reused: nothing is allocated
     * per event.
     */
    private static final class HeldBack {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean active;

        void runAndEnd() {
            try {
                for (Runnable next = tasks.poll(); next != null; next = tasks.poll()) {
                    try {
                        next.run();
                    } catch (RuntimeException | Error e) {
                        Thread t = Thread.currentThread();
                        t.getUncaughtExceptionHandler().uncaughtException(t, e);
                    }
                }
            } finally {
                tasks.clear();
                active = false;
            }
        }
    }

    /**
     * The transport's I/O strategy, each event's processing kept to the rule as a pool task is (the tasks
     * it hands over run on the same thread when it has returned). On a selector thread this answers a poll
     * that found packets waiting on the thread that read it ({@link SelectorThreadServlets}): the
     * connection's read interest, switched off while the request was suspended, is switched on again
     * before the selector looks at it, so neither a wake-up of the selector nor an {@code epoll_ctl} pair
     * is spent on it.
     */
    private static final class AfterEachEvent implements IOStrategy {

        private final IOStrategy strategy;

        AfterEachEvent(IOStrategy strategy) {
            this.strategy = strategy;
        }

        @Override
        public boolean executeIoEvent(Connection connection, IOEvent ioEvent) throws IOException {
            return executeIoEvent(connection, ioEvent, true);
        }

        @Override
        public boolean executeIoEvent(Connection connection, IOEvent ioEvent, boolean isIoEventEnabled)
                throws IOException {
            HeldBack held = HELD_BACK.get();
            if (held.active) {
                return strategy.executeIoEvent(connection, ioEvent, isIoEventEnabled); // within a task already
            }
            held.active = true;
            try {
                return strategy.executeIoEvent(connection, ioEvent, isIoEventEnabled);
            } finally {
                held.runAndEnd();
            }
        }

        @Override
        public Executor getThreadPoolFor(Connection connection, IOEvent ioEvent) {
            return strategy.getThreadPoolFor(connection, ioEvent);
        }

        @Override
        public ThreadPoolConfig createDefaultWorkerPoolConfig(Transport transport) {
            return strategy.createDefaultWorkerPoolConfig(transport);
        }
    }

    /** The pool as the transport sees it: every task it is given is wrapped. */
    private final class Wrapping extends AbstractExecutorService {

        @Override
        public void execute(Runnable command) {
            pool.execute(wrapped(command));
        }

        @Override
        public void shutdown() {
            pool.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return pool.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return pool.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return pool.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return pool.awaitTermination(timeout, unit);
        }
    }
}
