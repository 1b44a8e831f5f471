package dev.parley.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, as socket.io-client's: the n-th delay (from 0) is {@code min * 2^n}, moved up or
 * down by a random part of up to {@code jitter} of itself, then capped at {@code max}. Not thread-safe: the client
 * uses it under its lock.
 */
final class Backoff {

    private final long min;
    private final long max;
    private final double jitter;
    private int attempts;

    Backoff(long min, long max, double jitter) {
        this.min = min;
        this.max = max;
        this.jitter = jitter;
    }

    long duration() {
        // 2^30 is past any sensible max: keeps the product from overflowing after many attempts
        double ms = min * Math.pow(2, Math.min(attempts, 30));
        attempts++;
        if (jitter > 0) {
            double rand = ThreadLocalRandom.current().nextDouble();
            double deviation = Math.floor(rand * jitter * ms);
            ms = ((int) Math.floor(rand * 10) & 1) == 0 ? ms - deviation : ms + deviation;
        }
        return (long) Math.min(ms, max);
    }

    int attempts() {
        return attempts;
    }

    void reset() {
        attempts = 0;
    }
}
