package dev.parley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void givesTheBurstThenRefillsAtTheRate() {
        TokenBucket b = new TokenBucket(10, 3); // one token per 100 ms
        long t = System.nanoTime();
        assertThat(b.tryTake(t)).isTrue();
        assertThat(b.tryTake(t)).isTrue();
        assertThat(b.tryTake(t)).isTrue();
        assertThat(b.tryTake(t)).isFalse();
        assertThat(b.tryTake(t + 50_000_000)).isFalse();
        assertThat(b.tryTake(t + 100_000_000)).isTrue();
        assertThat(b.isFull(t + 100_000_000)).isFalse();
        assertThat(b.isFull(t + 400_000_000)).isTrue();
        // Never more than the burst, however long it rested.
        long later = t + 10_000_000_000L;
        for (int i = 0; i < 3; i++) {
            assertThat(b.tryTake(later)).isTrue();
        }
        assertThat(b.tryTake(later)).isFalse();
    }
}
