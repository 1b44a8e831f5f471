package dev.parley.engine;

/**
 * Marks the current thread as handing one packet to many sessions (a broadcast). Transports that
 * can gather writes defer theirs while it is active, so the recipients' writes overlap and the
 * packets queued for each connection leave together; outside it (an ack, a reply, a ping) a write
 * to an idle connection goes out at once, on the calling thread, with no hand-off.
 */
public final class BroadcastScope {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private BroadcastScope() {
    }

    /** Runs {@code broadcast} with the scope active (nested calls are fine). */
    public static void run(Runnable broadcast) {
        int[] depth = DEPTH.get();
        depth[0]++;
        try {
            broadcast.run();
        } finally {
            depth[0]--;
        }
    }

    /** Whether the current thread is inside {@link #run}. */
    public static boolean isActive() {
        return DEPTH.get()[0] > 0;
    }
}
