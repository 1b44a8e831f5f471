package dev.parley.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link EngineServer} has done since it started, as plain counters: handshakes by
 * {@link HandshakeOutcome}, upgrades, sessions closed by {@link EngineCloseReason}, packets and
 * bytes in and out, volatile packets dropped. The engine only counts (one {@link LongAdder}
 * increment where it happens, no lookup, no allocation); an observer such as
 * {@code dev.parley.metrics} reads the totals when it is asked. Gauges (open sessions by transport,
 * bytes waiting) are not kept here: {@link EngineServer#sessionsOn} and
 * {@link EngineServer#waitingBytes} compute them when read.
 *
 * <p>Packet sizes are counted as the slow-consumer bound counts them ({@link OutboundBound#sizeOf}):
 * one byte for the packet type plus the text's UTF-16 length or the binary's length; framing,
 * polling's separators and compression are not counted. Packets in are MESSAGE packets handed to
 * the session's listener; packets out are those queued for a client (pings, pongs, the open and
 * close packets not included). Thread-safe.
 */
public final class EngineStats {

    private final LongAdder[] handshakes = adders(HandshakeOutcome.values().length);
    private final LongAdder[] closes = adders(EngineCloseReason.values().length);
    private final LongAdder upgrades = new LongAdder();
    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder packetsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder droppedPackets = new LongAdder();

    EngineStats() {
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    void handshake(HandshakeOutcome outcome) {
        handshakes[outcome.ordinal()].increment();
    }

    void closed(EngineCloseReason reason) {
        closes[reason.ordinal()].increment();
    }

    void upgraded() {
        upgrades.increment();
    }

    void received(long bytes) {
        packetsIn.increment();
        bytesIn.add(bytes);
    }

    void queued(int packets, long bytes) {
        packetsOut.add(packets);
        bytesOut.add(bytes);
    }

    void dropped(int packets) {
        droppedPackets.add(packets);
    }

    /** Handshake requests that ended so. */
    public long handshakes(HandshakeOutcome outcome) {
        return handshakes[outcome.ordinal()].sum();
    }

    /** Sessions that closed for this reason. */
    public long closes(EngineCloseReason reason) {
        return closes[reason.ordinal()].sum();
    }

    /** Polling sessions that completed an upgrade to WebSocket. */
    public long upgrades() {
        return upgrades.sum();
    }

    /** MESSAGE packets received from clients. */
    public long packetsIn() {
        return packetsIn.sum();
    }

    /** Bytes of the packets received, as {@link OutboundBound#sizeOf} counts them. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Packets queued for clients. */
    public long packetsOut() {
        return packetsOut.sum();
    }

    /** Bytes of the packets queued for clients, as {@link OutboundBound#sizeOf} counts them. */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Volatile packets dropped because their client had too much waiting (a slow consumer). */
    public long droppedPackets() {
        return droppedPackets.sum();
    }
}
