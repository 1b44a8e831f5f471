package dev.parley.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs a list of middleware in order, each given a {@link Next}, the one chain behind namespace
 * middleware ({@link Middleware}, on connect) and socket middleware ({@link PacketMiddleware}, on
 * each event). Middleware may continue or fail later and from any thread; only the first call of
 * a {@link Next} counts, and a middleware that throws fails the chain with what it threw.
 *
 * @param <M> the middleware type
 */
final class MiddlewareChain<M> {

    /** Calls one middleware with its continuation (the two middleware types differ in arguments only). */
    @FunctionalInterface
    interface Invoker<M> {
        void invoke(M middleware, Next next) throws Exception;
    }

    private final List<M> middlewares;
    private final Invoker<M> invoker;
    private final Runnable done;
    private final Consumer<Exception> failed;

    private MiddlewareChain(List<M> middlewares, Invoker<M> invoker, Runnable done, Consumer<Exception> failed) {
        this.middlewares = middlewares;
        this.invoker = invoker;
        this.done = done;
        this.failed = failed;
    }

    /**
     * Runs {@code middlewares} in order, then {@code done} once all proceeded, or {@code failed}
     * with the error of the first that failed (the rest do not run).
     */
    static <M> void run(List<M> middlewares, Invoker<M> invoker, Runnable done, Consumer<Exception> failed) {
        new MiddlewareChain<>(middlewares, invoker, done, failed).step(0);
    }

    private void step(int index) {
        if (index == middlewares.size()) {
            done.run();
            return;
        }
        Next next = new Once(index);
        try {
            invoker.invoke(middlewares.get(index), next);
        } catch (Exception e) {
            next.fail(e);
        }
    }

    /** The continuation given to the middleware at {@code index}: its first call wins. */
    private final class Once implements Next {
        private final int index;
        private final AtomicBoolean called = new AtomicBoolean();

        Once(int index) {
            this.index = index;
        }

        @Override
        public void proceed() {
            if (called.compareAndSet(false, true)) {
                step(index + 1);
            }
        }

        @Override
        public void fail(Exception error) {
            if (called.compareAndSet(false, true)) {
                failed.accept(error);
            }
        }
    }
}
