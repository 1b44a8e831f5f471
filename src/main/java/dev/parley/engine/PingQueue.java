package dev.parley.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When an engine's sessions send their next ping: one queue for all of them, in due order, with one
 * task on the engine's timer for the first. Every session of an engine waits the same ping interval
 * from the moment it schedules, so appending keeps the queue sorted and each change is O(1): the
 * sessions are the queue's links ({@link EngineSession#pingPrev}, {@link EngineSession#pingNext},
 * {@link EngineSession#pingAt}). A task of the timer's per session (the task, 72 bytes, and its
 * callable) was the largest thing an idle session kept of its own; the links are 16 bytes.
 *
 * <p>Thread-safe: the queue's links are guarded by this queue. A session calls {@link #schedule} and
 * {@link #cancel} holding its own lock; the due sessions are told ({@link EngineSession#pingDue})
 * after this queue's lock is released, so the lock order is always session, then queue.
 */
final class PingQueue {

    private final ScheduledExecutorService timer;
    private final long intervalNanos;

    // Guarded by this.
    private EngineSession head;
    private EngineSession tail;
    /** The timer task that wakes up for the head, and when; null when none is armed. */
    private ScheduledFuture<?> wakeUp;
    private long wakeUpAt;

    PingQueue(ScheduledExecutorService timer, long intervalMillis) {
        this.timer = timer;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    }

    /** {@code session} pings one interval from now (instead of when it was to, if it was queued). */
    synchronized void schedule(EngineSession session) {
        unlink(session);
        session.pingAt = System.nanoTime() + intervalNanos;
        session.pingPrev = tail;
        if (tail == null) {
            head = session;
        } else {
            tail.pingNext = session;
        }
        tail = session;
        armLocked();
    }

    /** {@code session} sends no ping (it closed); nothing if it was not queued. */
    synchronized void cancel(EngineSession session) {
        unlink(session);
    }

    /** Whether {@code session} waits in this queue (tests). */
    synchronized boolean contains(EngineSession session) {
        return session == head || session.pingPrev != null;
    }

    private void unlink(EngineSession session) {
        if (session != head && session.pingPrev == null) {
            return; // not queued
        }
        EngineSession prev = session.pingPrev;
        EngineSession next = session.pingNext;
        if (prev == null) {
            head = next;
        } else {
            prev.pingNext = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.pingPrev = prev;
        }
        session.pingPrev = null;
        session.pingNext = null;
    }

    /** Makes sure a wake-up is armed for the head, no later than it is due. */
    private void armLocked() {
        if (head == null) {
            return;
        }
        if (wakeUp != null && wakeUpAt - head.pingAt <= 0) {
            return; // armed for the head or earlier (a head cancelled since): it re-arms when it runs
        }
        if (wakeUp != null) {
            wakeUp.cancel(false);
        }
        wakeUpAt = head.pingAt;
        wakeUp = timer.schedule(this::wake, Math.max(0, wakeUpAt - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void wake() {
        List<EngineSession> due = new ArrayList<>();
        synchronized (this) {
            wakeUp = null;
            long now = System.nanoTime();
            while (head != null && head.pingAt - now <= 0) {
                EngineSession s = head;
                unlink(s);
                due.add(s);
            }
            armLocked();
        }
        for (EngineSession s : due) {
            s.pingDue();
        }
    }
}
