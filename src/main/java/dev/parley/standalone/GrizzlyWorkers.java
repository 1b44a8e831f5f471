package dev.parley.standalone;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Runs tasks on the worker thread pool of a Grizzly listener, the pool that runs its servlets: where
 * the polling servlet's answers go ({@code PollingServlet}'s executor) on the standalone server. The pool
 * exists once the listener has started; a task given before, or after it stopped, is refused.
 */
final class GrizzlyWorkers implements Executor {

    private final NetworkListener listener;

    GrizzlyWorkers(NetworkListener listener) {
        this.listener = listener;
    }

    @Override
    public void execute(Runnable task) {
        Executor pool = listener.getTransport().getWorkerThreadPool();
        if (pool == null) {
            throw new RejectedExecutionException("the listener's worker pool is not running");
        }
        pool.execute(task);
    }
}
