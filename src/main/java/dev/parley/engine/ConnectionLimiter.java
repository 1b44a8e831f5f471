package dev.parley.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open sessions, in all and per remote address, and meters handshakes per address, against
 * the limits of {@link EngineOptions}. A slot is taken by {@link #acquire} before a session opens
 * and given back by {@link #release} exactly once when it ends. A request whose address the
 * container does not tell (WebSocket on Undertow) counts only against the server-wide limit:
 * lumping such clients together would refuse strangers for each other. Thread-safe.
 */
final class ConnectionLimiter {

    private final EngineOptions options;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TokenBucket> handshakes = new ConcurrentHashMap<>();

    ConnectionLimiter(EngineOptions options) {
        this.options = options;
    }

    /**
     * Takes a slot for a new session from {@code address}, or refuses: 429 when the address
     * handshakes too often, 503 when the server or the address has too many sessions.
     */
    void acquire(String key) throws EngineRefusal {
        if (key != null && options.handshakeRatePerAddress() > 0) {
            TokenBucket bucket = handshakes.computeIfAbsent(key, k -> new TokenBucket(
                    options.handshakeRatePerAddress(), options.handshakeBurstPerAddress()));
            if (!bucket.tryTake(System.nanoTime())) {
                throw new EngineRefusal(429, "too many handshakes from this address, retry later");
            }
        }
        int max = options.maxConnections();
        if (max > 0 && open.incrementAndGet() > max) {
            open.decrementAndGet();
            throw new EngineRefusal(503, "server full, retry later");
        } else if (max <= 0) {
            open.incrementAndGet();
        }
        int perMax = options.maxConnectionsPerAddress();
        if (key == null || perMax <= 0) {
            return; // nothing to count against
        }
        boolean[] over = new boolean[1];
        perAddress.compute(key, (k, n) -> {
            int next = n == null ? 1 : n + 1;
            if (next > perMax) {
                over[0] = true;
                return n;
            }
            return next;
        });
        if (over[0]) {
            open.decrementAndGet();
            throw new EngineRefusal(503, "too many connections from this address");
        }
    }

    /** Gives back the slot of a session from {@code address}. */
    void release(String key) {
        open.decrementAndGet();
        if (key != null && options.maxConnectionsPerAddress() > 0) {
            perAddress.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Forgets handshake buckets that have refilled, so addresses seen once do not pile up. */
    void sweep() {
        long now = System.nanoTime();
        handshakes.values().removeIf(b -> b.isFull(now));
    }

    int openCount() {
        return open.get();
    }
}
