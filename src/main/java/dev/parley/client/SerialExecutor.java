package dev.parley.client;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time in submission order on any executor, so that a pooled callback executor still
 * delivers a namespace's events in the order they arrived. A task that throws is logged; the next runs.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

    private final Executor delegate;
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean draining;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (lock) {
            tasks.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // the client is closed (its own executor shut down) or the user's executor refused: nothing more runs
            synchronized (lock) {
                tasks.clear();
                draining = false;
            }
            LOG.log(Level.FINE, "callback executor refused a task", e);
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (lock) {
                task = tasks.poll();
                if (task == null) {
                    draining = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "client callback failed", e);
            }
        }
    }
}
