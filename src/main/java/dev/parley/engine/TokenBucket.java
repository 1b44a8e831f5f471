package dev.parley.engine;

/**
 * A token bucket: up to {@code burst} takes at once, refilled at {@code ratePerSecond}. Times are
 * {@link System#nanoTime()} values passed in, so callers share one clock read. Thread-safe.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    /**
     * The burst of a rate limit whose burst was left unset (0): one second's worth of the rate, at
     * least 1. The one place this default is computed (handshakes per address, events per socket).
     */
    public static int burstOrDefault(double ratePerSecond, int burst) {
        return burst > 0 ? burst : (int) Math.max(1, Math.ceil(ratePerSecond));
    }

    public TokenBucket(double ratePerSecond, int burst) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket is full again (nothing taken recently). */
    public synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            last = now;
        }
    }
}
