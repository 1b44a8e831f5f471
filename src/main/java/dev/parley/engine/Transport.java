package dev.parley.engine;

import dev.parley.protocol.engineio.EncodedPacket;
import java.util.List;

/**
 * One way of carrying Engine.IO packets for a session: long-polling or WebSocket. A transport is
 * thin glue: it turns bytes into packets for {@link EngineSession#onPacket} and packets into
 * bytes. The session calls it while holding the session's lock, so implementations must not
 * block on the network in {@link #send} and must not call back into the session synchronously
 * from {@link #send} or {@link #close}.
 */
public interface Transport {

    /** {@code "polling"} or {@code "websocket"}, as in the query parameter. */
    String name();

    /** Whether {@link #send} may be called now (a poll is waiting, or the socket is open). */
    boolean isWritable();

    /**
     * Whether each {@link #send} is costly enough (a whole HTTP response for polling) that the
     * session should let packets gather for a moment before sending: it then flushes on its
     * server's timer thread rather than at once, and what was queued meanwhile goes out together.
     */
    default boolean gathersPackets() {
        return false;
    }

    /**
     * Sends the packets, in order, each already encoded. Only called when {@link #isWritable()}.
     * The list may be shared by every recipient of a broadcast: read it, never change it.
     * {@code delivery} says whether this send stands alone (write now) or is one of a batch the
     * transport may gather for its writer; transports that cannot gather ignore it.
     */
    void send(List<EncodedPacket> packets, Delivery delivery);

    /**
     * Closes the underlying connection. For polling, a waiting poll is answered with a close
     * packet ({@code sendClosePacket}) or a noop, so the client learns the session is over.
     */
    void close(boolean sendClosePacket);

    /**
     * Bytes handed to {@link #send} and not yet written to the network (queued, or in a write in
     * flight), counted as {@link OutboundBound#sizeOf} counts them; the session adds them to its own
     * buffer when it applies its {@link OutboundBound}. 0 where nothing waits below the session
     * (polling answers a poll at once). Cheap, never blocks.
     */
    default long waitingBytes() {
        return 0;
    }

    /** Packets handed to {@link #send} and not yet written, as {@link #waitingBytes()}. */
    default long waitingPackets() {
        return 0;
    }

    /**
     * Ends the connection at once, discarding what it has not written: the client is a
     * {@link EngineCloseReason#SLOW_CONSUMER slow consumer}, so a close frame would wait behind
     * everything it has not read, or a stopping server's grace period is over
     * ({@link EngineCloseReason#SERVER_SHUTTING_DOWN}). The reason goes into a close frame where one
     * can still be sent. Polling answers a waiting poll with a close packet.
     */
    default void abort(EngineCloseReason reason) {
        close(true);
    }

    /**
     * The session moved to another transport (the upgrade completed): release this one. A poll
     * still waiting is refused as the reference server refuses polls after an upgrade. A real client
     * has none: it sends the UPGRADE packet only once its last poll returned.
     */
    default void discard() {
        close(false);
    }

    /**
     * Whether the connection is closed: after {@link #close}, once what was handed to it is written
     * (a WebSocket drains its queued frames first). A stopping server waits for it, within its grace.
     * By default a transport is taken as closed once asked to close.
     */
    default boolean isClosed() {
        return true;
    }
}
