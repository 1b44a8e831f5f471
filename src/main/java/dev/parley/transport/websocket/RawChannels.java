package dev.parley.transport.websocket;

import jakarta.websocket.Session;
import java.nio.ByteBuffer;

/**
 * The byte streams below the WebSocket API, as a container offers them (the standalone server
 * reaches Grizzly's connection under Tyrus): one object for all connections, each connection's
 * stream a handle of type {@code C} (the container's own writer), so that a connection costs no
 * wrapper of its own. {@link GatheringFrameWriter} keeps at most one write in flight per channel,
 * so an implementation needs no queue of its own.
 *
 * @param <C> a connection's byte stream, as the container has it
 */
public interface RawChannels<C> {

    /** What a write reports, possibly before {@link #write} returns. */
    interface Completion {
        void written();

        void failed(Throwable error);
    }

    /** The byte stream under {@code session}, or {@code null} where there is none (the portable API then). */
    C channelOf(Session session);

    /** Writes all of {@code bytes} (whole frames) to {@code channel} without blocking, then reports to {@code done}. */
    void write(C channel, ByteBuffer bytes, Completion done);

    /**
     * Drops the connection at once, without a closing handshake: the peer stopped reading, so a
     * close frame would wait behind everything it has not read.
     */
    void abort(C channel);
}
