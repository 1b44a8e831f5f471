package dev.parley.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapter.AdapterRequests.Outcome;
import dev.parley.adapter.AdapterRequests.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A request is recorded once whatever ends it first (an answer racing its timeout), under that
 * outcome only; a discarded one (no other node to ask) is not recorded; the time is the time between
 * start and end.
 */
class AdapterRequestsTest {

    @Test
    void theFirstEndIsRecordedAndTheOthersIgnored() {
        AdapterRequests requests = new AdapterRequests();
        AdapterRequests.Timing t = requests.start(Type.FETCH_SOCKETS);
        assertThat(t.end(Outcome.ANSWERED)).isTrue();
        assertThat(t.end(Outcome.TIMED_OUT)).isFalse();
        assertThat(t.end(Outcome.FAILED)).isFalse();
        assertThat(requests.count(Type.FETCH_SOCKETS, Outcome.ANSWERED)).isEqualTo(1);
        assertThat(requests.count(Type.FETCH_SOCKETS, Outcome.TIMED_OUT)).isZero();
        assertThat(requests.count(Type.FETCH_SOCKETS, Outcome.FAILED)).isZero();
        assertThat(requests.count(Type.SERVER_SIDE_EMIT, Outcome.ANSWERED)).isZero();
        assertThat(requests.totalNanos(Type.FETCH_SOCKETS, Outcome.ANSWERED)).isPositive();
    }

    @Test
    void aDiscardedRequestIsNotRecorded() {
        AdapterRequests requests = new AdapterRequests();
        AdapterRequests.Timing t = requests.start(Type.BROADCAST_ACK);
        t.discard();
        assertThat(t.end(Outcome.ANSWERED)).isFalse();
        for (Outcome o : Outcome.values()) {
            assertThat(requests.count(Type.BROADCAST_ACK, o)).isZero();
        }
    }

    @Test
    void racingEndsRecordEachRequestOnce() throws Exception {
        AdapterRequests requests = new AdapterRequests();
        int n = 2_000;
        List<AdapterRequests.Timing> timings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            timings.add(requests.start(Type.SERVER_SIDE_EMIT));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                timings.forEach(t -> t.end(o));
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long total = 0;
        for (Outcome o : Outcome.values()) {
            total += requests.count(Type.SERVER_SIDE_EMIT, o);
        }
        assertThat(total).isEqualTo(n);
    }
}
