package dev.parley.transport.websocket;

import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps Tyrus from scheduling an idle-timeout task for every message of a session whose idle
 * timeout is off. Tyrus 2.1.5, the one inside Payara 6, schedules one on every message received
 * and sent whatever the timeout ({@code TyrusSession.restartIdleTimeoutExecutor}; 2.1.6 skips it
 * for a negative timeout), and on Payara it goes to the container's managed scheduled executor,
 * which captures the calling thread's context for each task through a {@code ServiceLoader} scan
 * of the application's jars: about 100 µs of CPU per message, with 80 threads contending on one
 * queue. No value of {@code setMaxIdleTimeout} or of the container's default avoids it, so the
 * session's executor is wrapped by one that drops what a disabled timeout schedules (its task does
 * nothing anyway: it closes the session only for a positive timeout) and passes everything else
 * on; so is the application's container's, which each new session takes (and uses at once: its
 * constructor sets the container's default timeout). Reflection only, on the objects' own classes:
 * on another container, or a Tyrus without those fields, this does nothing.
 */
final class TyrusIdleTimeouts {

    private static final ClassValue<Field> SERVICE = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            return executorField(type, "org.glassfish.tyrus.core.TyrusSession", "service");
        }
    };

    /** The container-wide executor every new TyrusSession of an application takes. */
    private static final ClassValue<Field> CONTAINER_SERVICE = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
            return executorField(type, "org.glassfish.tyrus.core.BaseContainer", "managedScheduledExecutorService");
        }
    };

    private TyrusIdleTimeouts() {
    }

    /**
     * Call once per application, before its endpoint takes connections: a new TyrusSession sets its
     * idle timeout in its constructor, before any endpoint code runs, and on Payara that schedules a
     * task on the container's managed executor too (about 1 ms of CPU per connection, a jar scan for
     * the context it captures). The application's container gets the same wrapper as its sessions.
     * Returns whether {@code container} is such a Tyrus container with a managed executor.
     */
    static boolean skipWhenDisabled(ServerContainer container) {
        return wrap(CONTAINER_SERVICE.get(container.getClass()), container);
    }

    private static boolean wrap(Field field, Object owner) {
        if (field == null) {
            return false;
        }
        try {
            Object current = field.get(owner);
            if (current instanceof ScheduledExecutorService executor && !(current instanceof SkipDisabled)) {
                field.set(owner, around(executor));
            }
            return current != null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The last wrapper made: every session of a container has the same executor, so they share one. */
    private static volatile SkipDisabled last;

    /** A wrapper around {@code executor}, shared (it holds nothing else): not one more object per session. */
    private static SkipDisabled around(ScheduledExecutorService executor) {
        SkipDisabled wrapper = last;
        if (wrapper == null || wrapper.delegate != executor) {
            wrapper = new SkipDisabled(executor);
            last = wrapper;
        }
        return wrapper;
    }

    private static Field executorField(Class<?> type, String declaringClass, String name) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (!c.getName().equals(declaringClass)) {
                continue;
            }
            try {
                Field f = c.getDeclaredField(name);
                if (f.getType() != ScheduledExecutorService.class) {
                    return null;
                }
                f.setAccessible(true);
                return f;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Call before the session's idle timeout is set to a negative value ("never"): from then on the
     * session's idle-timeout tasks are not scheduled. Returns whether the session is such a Tyrus session.
     */
    static boolean skipWhenDisabled(Session ws) {
        return wrap(SERVICE.get(ws.getClass()), ws);
    }

    /** The session's executor, minus the tasks scheduled with no delay, which only a disabled timeout asks for. */
    static final class SkipDisabled implements ScheduledExecutorService {

        private final ScheduledExecutorService delegate;

        SkipDisabled(ScheduledExecutorService delegate) {
            this.delegate = delegate;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            // TyrusSession schedules Runnables with a delay only for the idle timeout, the delay being
            // the timeout itself; at or below zero the task would do nothing.
            return delay <= 0 ? Skipped.INSTANCE : delegate.schedule(command, delay, unit);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return delegate.schedule(callable, delay, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return delegate.scheduleAtFixedRate(command, initialDelay, period, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                TimeUnit unit) {
            return delegate.scheduleWithFixedDelay(command, initialDelay, delay, unit);
        }

        @Override
        public void shutdown() {
            delegate.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return delegate.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return delegate.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return delegate.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            return delegate.submit(task);
        }

        @Override
        public <T> Future<T> submit(Runnable task, T result) {
            return delegate.submit(task, result);
        }

        @Override
        public Future<?> submit(Runnable task) {
            return delegate.submit(task);
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
            return delegate.invokeAll(tasks);
        }

        @Override
        public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
                throws InterruptedException {
            return delegate.invokeAll(tasks, timeout, unit);
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
            return delegate.invokeAny(tasks);
        }

        @Override
        public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return delegate.invokeAny(tasks, timeout, unit);
        }

        @Override
        public void execute(Runnable command) {
            delegate.execute(command);
        }
    }

    /** The future of a task never scheduled, as of one that already ran and did nothing: cancelling it costs nothing. */
    static final class Skipped implements ScheduledFuture<Object> {

        static final Skipped INSTANCE = new Skipped();

        private Skipped() {
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
