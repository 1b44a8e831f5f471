package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The reconnection delays: socket.io-client's exponential backoff with jitter, capped. */
class BackoffTest {

    @Test
    void withoutJitterTheDelayDoublesUpToTheMaximum() {
        Backoff b = new Backoff(1000, 5000, 0);
        assertThat(new long[] {b.duration(), b.duration(), b.duration(), b.duration(), b.duration()})
                .containsExactly(1000, 2000, 4000, 5000, 5000);
        assertThat(b.attempts()).isEqualTo(5);
        b.reset();
        assertThat(b.attempts()).isZero();
        assertThat(b.duration()).isEqualTo(1000);
    }

    @RepeatedTest(20)
    void jitterMovesEachDelayByAtMostItsFactorAndNeverPastTheMaximum() {
        Backoff b = new Backoff(1000, 5000, 0.5);
        long[] nominal = {1000, 2000, 4000, 8000, 16000};
        for (long n : nominal) {
            long d = b.duration();
            assertThat(d).isBetween(Math.min((long) (n * 0.5), 5000), Math.min((long) (n * 1.5), 5000));
        }
    }

    @Test
    void manyAttemptsDoNotOverflow() {
        Backoff b = new Backoff(1000, 5000, 0.5);
        for (int i = 0; i < 200; i++) {
            assertThat(b.duration()).isBetween(500L, 5000L);
        }
    }
}
