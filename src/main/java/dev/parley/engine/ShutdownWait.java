package dev.parley.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits, on a stopping server's thread, for a condition that other threads make true (sessions
 * delivering their last packets) or for a deadline. It re-checks every few milliseconds rather than
 * being told: the sessions and transports finishing are many and each already has its own lock,
 * and this runs once per server's life.
 */
final class ShutdownWait {

    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private ShutdownWait() {
    }

    /** Returns true as soon as {@code done} holds, false when {@code graceMillis} passed first. */
    static boolean until(BooleanSupplier done, long graceMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, RECHECK_NANOS));
            if (Thread.currentThread().isInterrupted()) {
                return done.getAsBoolean();
            }
        }
        return true;
    }
}
