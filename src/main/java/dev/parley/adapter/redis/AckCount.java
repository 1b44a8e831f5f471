package dev.parley.adapter.redis;

import dev.parley.adapter.AckListener;
import dev.parley.adapter.AdapterRequests;

/**
 * The total a broadcast with acknowledgement reports across nodes, as socket.io's broadcast
 * operator sums it: each node's client count (this one's included) adds up, and the sum is told
 * to the listener once the number of nodes is known and every one of them has reported (then the
 * request's timing ends as answered).
 */
final class AckCount {

    private final Object lock = new Object();
    private final AckListener listener;
    private final AdapterRequests.Timing timing;
    private int total;
    private int reported;
    private int expected = -1;
    private boolean told;

    AckCount(AckListener listener, AdapterRequests.Timing timing) {
        this.listener = listener;
        this.timing = timing;
    }

    void nodeReported(int clientCount) {
        synchronized (lock) {
            total += clientCount;
            reported++;
        }
        tellIfComplete();
    }

    void nodesAre(int servers) {
        synchronized (lock) {
            expected = servers;
        }
        tellIfComplete();
    }

    private void tellIfComplete() {
        int sum;
        synchronized (lock) {
            if (told || expected < 0 || reported < expected) {
                return;
            }
            told = true;
            sum = total;
        }
        timing.end(AdapterRequests.Outcome.ANSWERED);
        listener.sent(sum); // outside the lock: the listener may complete a future and run its callbacks
    }
}
