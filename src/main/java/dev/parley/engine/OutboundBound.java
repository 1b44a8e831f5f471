package dev.parley.engine;

import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EnginePacket;

/**
 * The one rule for how much may wait for one client, whatever carries it: at most
 * {@code max-buffered-bytes} and at most {@code max-buffered-packets}, counting what waits in the
 * session (polling, or before an upgrade) and in its transport's writer (a WebSocket's queue, the
 * write in flight included: {@link Transport#waitingBytes()}). {@link EngineSession} asks it before
 * every packet it queues, so each transport, writer and container (the standalone server's gathered
 * writer, Tyrus on Payara, Undertow on WildFly, the portable async API, polling) is bounded alike.
 *
 * <p>A packet that would take the client over a bound is either dropped, when its sender said it
 * may be (Socket.IO's {@code volatile}), or ends the session as a {@link EngineCloseReason#SLOW_CONSUMER}:
 * volatile packets go first, and only non-volatile ones close a session. Immutable.
 */
public final class OutboundBound {

    /** What to do with a packet for a client with a backlog. */
    public enum Decision {
        /** It fits: queue it. */
        SEND,
        /** It does not fit and may be lost (volatile): drop it, the session stays. */
        DROP,
        /** It does not fit and must not be lost: the client is a slow consumer, end its session. */
        CLOSE
    }

    private final long maxBytes;
    private final long maxPackets;

    public OutboundBound(long maxBytes, long maxPackets) {
        if (maxBytes <= 0 || maxPackets <= 0) {
            throw new IllegalArgumentException("bounds must be positive, got " + maxBytes + " bytes, " + maxPackets
                    + " packets");
        }
        this.maxBytes = maxBytes;
        this.maxPackets = maxPackets;
    }

    /**
     * Whether {@code addPackets} packets of {@code addBytes} may join {@code waitingPackets} of
     * {@code waitingBytes}; {@code droppable} for a volatile send.
     */
    public Decision decide(long waitingBytes, long waitingPackets, long addBytes, int addPackets, boolean droppable) {
        if (waitingBytes + addBytes <= maxBytes && waitingPackets + addPackets <= maxPackets) {
            return Decision.SEND;
        }
        return droppable ? Decision.DROP : Decision.CLOSE;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long maxPackets() {
        return maxPackets;
    }

    /**
     * How one packet counts against {@code max-buffered-bytes}: its encoded text's characters (its
     * bytes for ASCII) or its binary payload's bytes, plus one for the type. Writers report what
     * they hold in the same unit, near enough (a frame's payload).
     */
    public static long sizeOf(EncodedPacket encoded) {
        return sizeOf(encoded.packet());
    }

    /** As {@link #sizeOf(EncodedPacket)}, for a packet as decoded. */
    public static long sizeOf(EnginePacket packet) {
        return 1 + (packet.isBinary() ? packet.binary().length : packet.text() == null ? 0 : packet.text().length());
    }

    /**
     * The limit a writer applies on its own, below the session: a backstop for what the session does
     * not count (pings, a probe's pong) and for frames counted in other units (headers, UTF-8), well
     * above {@code maxBytes} so the session's bound, with its reason, always comes first.
     */
    public static long backstopBytes(long maxBytes) {
        return maxBytes > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : 2 * maxBytes + (64 << 10);
    }
}
