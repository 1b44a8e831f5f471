package dev.parley.standalone;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
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

    /** Tasks handed over by the current pool task, started when it returns; null outside pool tasks. */
    private static final ThreadLocal<List<Runnable>> LEFT_FOR_LATER = new ThreadLocal<>();

    private final ExecutorService pool;

    private GrizzlyWorkers(ExecutorService pool) {
        this.pool = pool;
    }

    /**
     * Creates the listener transport's worker pool from its configuration and installs it, each of its
     * tasks wrapped to keep the rule above. Call before the listener starts; {@link #shutdown()} after
     * it stopped (the transport does not stop a pool it was given).
     */
    static GrizzlyWorkers install(Transport transport) {
        ThreadPoolConfig config = transport.getWorkerThreadPoolConfig();
        if (config == null) {
            config = ThreadPoolConfig.defaultConfig();
        }
        GrizzlyWorkers workers = new GrizzlyWorkers(GrizzlyExecutorService.createInstance(config));
        transport.setWorkerThreadPool(workers.new Wrapping());
        // The selector threads' events count as pool tasks too: what an event's processing hands over (a
        // polling servlet dispatched on the selector thread, see SelectorThreadServlets) runs on that
        // selector thread once the event's processing has returned.
        transport.setIOStrategy(new AfterEachEvent(transport.getIOStrategy()));
        return workers;
    }

    @Override
    public void execute(Runnable task) {
        List<Runnable> later = LEFT_FOR_LATER.get();
        if (later != null) {
            later.add(task);
        } else {
            pool.execute(wrapped(task));
        }
    }

    /** Stops the pool's threads once their tasks are done. */
    void shutdown() {
        pool.shutdown();
    }

    private Runnable wrapped(Runnable task) {
        return () -> runThenWhatItLeft(task);
    }

    /**
     * Runs {@code task}, then on this same thread, in the order they were handed over, the tasks it
     * handed over, then those these handed over, and so on: each starts only once the task that handed
     * it over has returned, which is all the rule asks. Running them here rather than handing each to
     * another pool thread saves a thread wake-up per poll: every dispatch of the polling servlet hands
     * over at least its {@code DispatchGate}'s release, and a poll answered at once its answer. A task
     * that fails does not keep the others from running; the first failure is rethrown at the end, to the
     * pool's thread as before, later ones go to the thread's uncaught-exception handler.
     */
    private static void runThenWhatItLeft(Runnable task) {
        ArrayDeque<Runnable> queue = null;
        Throwable failed = null;
        for (Runnable next = task; next != null; next = queue == null ? null : queue.pollFirst()) {
            List<Runnable> later = new ArrayList<>(0);
            LEFT_FOR_LATER.set(later);
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                if (failed == null) {
                    failed = e;
                } else {
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, e);
                }
            } finally {
                LEFT_FOR_LATER.remove();
            }
            if (!later.isEmpty()) {
                if (queue == null) {
                    queue = new ArrayDeque<>(later.size());
                }
                queue.addAll(later);
            }
        }
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
    }

    /**
     * The transport's I/O strategy, each event's processing run as a pool task is (the tasks it hands over
     * run on the same thread when it has returned). On a selector thread this answers a poll that found
     * packets waiting on the thread that read it: the connection's read interest, switched off while the
     * request was suspended, is switched on again before the selector looks at it, so neither a wake-up
     * of the selector nor an {@code epoll_ctl} pair is spent on it.
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
            if (LEFT_FOR_LATER.get() != null) {
                return strategy.executeIoEvent(connection, ioEvent, isIoEventEnabled); // within a task already
            }
            boolean[] result = new boolean[1];
            IOException[] failed = new IOException[1];
            runThenWhatItLeft(() -> {
                try {
                    result[0] = strategy.executeIoEvent(connection, ioEvent, isIoEventEnabled);
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            return result[0];
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
