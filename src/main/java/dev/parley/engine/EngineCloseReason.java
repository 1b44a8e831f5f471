package dev.parley.engine;

/**
 * Why an {@link EngineSession} closed, with the reason strings of the reference implementation
 * (they surface to applications as Socket.IO disconnect reasons).
 */
public enum EngineCloseReason {
    /** The server closed the session on purpose ({@link EngineSession#close()}). */
    FORCED_CLOSE("forced close"),
    /** The client went away cleanly, or sent a close packet. */
    TRANSPORT_CLOSE("transport close"),
    /** The connection failed, or the client broke the transport's rules (overlapping polls...). */
    TRANSPORT_ERROR("transport error"),
    /** No pong arrived within pingTimeout after a ping. */
    PING_TIMEOUT("ping timeout"),
    /** The client sent something that is not a valid packet. */
    PARSE_ERROR("parse error"),
    /** The whole server is stopping. */
    SERVER_SHUTTING_DOWN("server shutting down");

    private final String wire;

    EngineCloseReason(String wire) {
        this.wire = wire;
    }

    /** The reference implementation's string for this reason, e.g. {@code "ping timeout"}. */
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
