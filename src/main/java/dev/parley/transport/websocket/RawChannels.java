package dev.parley.transport.websocket;

import java.nio.ByteBuffer;

/**
 * One connection's byte stream below the WebSocket API, as a container offers it (the standalone
 * server reaches Grizzly's connection under Tyrus). {@link GatheringFrameWriter} keeps at most one
 * write in flight per channel, so an implementation needs no queue of its own.
 */
public interface RawChannel {

    /** What a write reports, possibly before {@link #write} returns. */
    interface Completion {
        void written();

        void failed(Throwable error);
    }

    /** Writes all of {@code bytes} (whole frames) without blocking, then reports to {@code done}. */
    void write(ByteBuffer bytes, Completion done);

    /**
     * Drops the connection at once, without a closing handshake: the peer stopped reading, so a
     * close frame would wait behind everything it has not read.
     */
    void abort();
}
