package dev.parley.engine;

import dev.parley.protocol.engineio.EnginePacket;

/**
 * Receives what happens to one {@link EngineSession}: its messages, in order, and its end. Called
 * on transport or timer threads, never while the session's lock is held, so an implementation
 * may send on this or any other session.
 */
public interface EngineSessionListener {

    /** A MESSAGE packet (text or binary) from the client. */
    void onMessage(EngineSession session, EnginePacket message);

    /**
     * The session completed its upgrade: {@code transport} ({@code websocket}) carries it from now on.
     * Called once per upgrade, after the old transport was let go.
     */
    default void onUpgrade(EngineSession session, String transport) {
    }

    /** The session is closed; called exactly once. */
    void onClose(EngineSession session, EngineCloseReason reason, String description);

    /** A listener that ignores everything, the default until one is set. */
    EngineSessionListener NONE = new EngineSessionListener() {
        @Override
        public void onMessage(EngineSession session, EnginePacket message) {
        }

        @Override
        public void onClose(EngineSession session, EngineCloseReason reason, String description) {
        }
    };
}
