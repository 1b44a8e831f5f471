package dev.parley.transport.websocket;

import jakarta.websocket.Session;
import java.nio.ByteBuffer;

/**
 * A way to write whole, pre-built WebSocket frames to a connection, below the portable API, so a
 * broadcast frame built once is written as is to every recipient. Containers that cannot do it
 * (every one but the standalone server's Tyrus so far) use {@link #NONE}, and the transport sends
 * through the portable async API instead.
 */
public interface RawFrameWriter {

    /** Something that writes frames to one connection, in call order, without blocking. */
    interface Target {
        void write(ByteBuffer frame);
    }

    /**
     * The target for this session, or null to use the portable API for it (e.g. when an extension
     * such as permessage-deflate was negotiated, which raw frames would bypass).
     */
    Target target(Session session);

    /** No raw writes: always the portable API. */
    RawFrameWriter NONE = session -> null;
}
