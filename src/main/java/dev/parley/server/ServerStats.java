package dev.parley.server;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link ParleyServer}'s Socket.IO layer has done since it started, as plain counters:
 * sockets connected, disconnects by {@link DisconnectReason}, broadcasts and the deliveries they
 * fanned out to, acknowledgements that timed out, connection state recovery hits and misses. The
 * model only counts (one {@link LongAdder} increment where it happens, no lookup, no allocation);
 * an observer such as {@code dev.parley.metrics} reads the totals when asked. Gauges (namespaces,
 * sockets, rooms) are computed from the model when read: {@link ParleyServer#socketCount},
 * {@link ParleyServer#roomCount}. Thread-safe.
 */
public final class ServerStats {

    private final LongAdder[] disconnects = new LongAdder[DisconnectReason.values().length];
    private final LongAdder connects = new LongAdder();
    private final LongAdder broadcasts = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder ackTimeouts = new LongAdder();
    private final LongAdder recoveryHits = new LongAdder();
    private final LongAdder recoveryMisses = new LongAdder();

    ServerStats() {
        for (int i = 0; i < disconnects.length; i++) {
            disconnects[i] = new LongAdder();
        }
    }

    void connected() {
        connects.increment();
    }

    void disconnected(DisconnectReason reason) {
        disconnects[reason.ordinal()].increment();
    }

    void broadcast() {
        broadcasts.increment();
    }

    void delivered() {
        deliveries.increment();
    }

    void ackTimedOut() {
        ackTimeouts.increment();
    }

    void recovered(boolean hit) {
        (hit ? recoveryHits : recoveryMisses).increment();
    }

    /** Sockets that joined a namespace (a recovered one included). */
    public long connects() {
        return connects.sum();
    }

    /** Connected sockets that disconnected for this reason. */
    public long disconnects(DisconnectReason reason) {
        return disconnects[reason.ordinal()].sum();
    }

    /** Broadcasts emitted on this node ({@link BroadcastOperator#emit}, {@code emitWithAck}). */
    public long broadcasts() {
        return broadcasts.sum();
    }

    /**
     * Packets the adapter handed to a local socket: each recipient of a broadcast (from this node or,
     * with a cluster adapter, another), and with recovery on also a socket's own emits, which go
     * through the adapter to be kept for recovery.
     */
    public long deliveries() {
        return deliveries.sum();
    }

    /** Emits with acknowledgement ({@link Socket#emitWithAck}, a broadcast's) whose timeout passed first. */
    public long ackTimeouts() {
        return ackTimeouts.sum();
    }

    /** Sockets that came back with connection state recovery and got their session back. */
    public long recoveryHits() {
        return recoveryHits.sum();
    }

    /** Sockets that asked for recovery and got a fresh session ({@link Socket#recoveryFailure()}). */
    public long recoveryMisses() {
        return recoveryMisses.sum();
    }
}
