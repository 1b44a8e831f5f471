package dev.parley.standalone;

import dev.parley.server.ShutdownLog;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;

/**
 * The standalone jar's {@code java.util.logging} manager: the JDK's own, configured the same way
 * ({@code java.util.logging.config.file} and the rest), except that a reset asked for while the JVM
 * shuts down waits, once {@linkplain #holdResetsDuringShutdown held}, until Parley's shutdown hook
 * releases it (or the hold's time is up).
 *
 * <p>Why: the JDK registers a shutdown hook of its own ({@code LogManager$Cleaner}) that resets the
 * manager, which removes and closes every handler. Shutdown hooks run concurrently, so on SIGTERM
 * that reset usually won the race against Parley's hook and its lifecycle line ({@code Parley stopped:
 * ...}) went to a logger with no handler. Deferring the reset, as an application server's own
 * manager does, lets the line out and still closes the handlers before the JVM halts.
 *
 * <p>{@link Main} installs it through the {@code java.util.logging.manager} system property before
 * anything logs, unless the operator named another manager; then nothing is held.
 */
public final class ShutdownLogManager extends LogManager {

    private volatile CountDownLatch hold;
    private volatile long holdMillis;

    /** Called by {@link LogManager} when the {@code java.util.logging.manager} property names this class. */
    public ShutdownLogManager() {
        super();
    }

    /**
     * Holds the resets done during shutdown until the returned action runs, for at most {@code maxMillis}
     * (a hook that never finishes must not keep the handlers open for ever, though the JVM waits for it
     * anyway). When the active manager is another one (set by the operator, or by whoever started the JVM),
     * nothing is held and the action does nothing.
     */
    static Runnable holdResetsDuringShutdown(long maxMillis) {
        if (!(LogManager.getLogManager() instanceof ShutdownLogManager manager)) {
            return () -> { };
        }
        CountDownLatch latch = new CountDownLatch(1);
        manager.holdMillis = maxMillis;
        manager.hold = latch;
        return latch::countDown;
    }

    @Override
    public void reset() {
        CountDownLatch latch = hold;
        if (latch != null && ShutdownLog.jvmShuttingDown()) {
            try {
                latch.await(holdMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.reset();
    }
}
