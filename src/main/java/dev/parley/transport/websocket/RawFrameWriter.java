package dev.parley.transport.websocket;

import dev.parley.engine.Delivery;
import jakarta.websocket.Session;

/**
 * A way to write whole, pre-built WebSocket frames to a connection, below the portable API, so a
 * broadcast frame built once is written as is to every recipient, and the frames waiting for one
 * connection leave together. Implementations: Tyrus's writer behind a {@link GatheringFrameWriter}
 * (the standalone server, Payara), Undertow's channel ({@link UndertowFrameWriter}, WildFly);
 * {@link ContainerWrites} picks one for a container. Elsewhere {@link #NONE}, and the transport
 * sends through the portable async API instead.
 */
public interface RawFrameWriter {

    /** One connection's outgoing frames. Thread-safe; never blocks. */
    interface Target {

        /**
         * Queues one whole frame (the array is not copied and must not change); frames leave in call
         * order. With {@link Delivery#NOW} a frame for an idle connection may be written on the
         * calling thread; with {@link Delivery#BATCH} it is left to the writer, which writes what
         * gathered for the connection in one go.
         */
        void write(byte[] frame, Delivery delivery);

        /**
         * Runs {@code action} once every frame queued so far has been written, or at once when none
         * is waiting; also when the connection failed and what was queued is lost.
         */
        void whenDrained(Runnable action);

        /** Bytes of the frames queued and not yet written (a write in flight included). */
        long waitingBytes();

        /** Frames queued and not yet written (a write in flight included). */
        long waitingFrames();

        /**
         * Drops what waits and cuts the connection at once, without a closing handshake (the peer
         * stopped reading); those waiting for the drain are told.
         */
        void abort();
    }

    /**
     * The target for this session, or null to use the portable API for it (e.g. when an extension
     * such as permessage-deflate was negotiated, which raw frames would bypass).
     */
    Target target(Session session);

    /** No raw writes: always the portable API. */
    RawFrameWriter NONE = session -> null;
}
