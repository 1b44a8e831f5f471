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
    SERVER_SHUTTING_DOWN("server shutting down"),
    /**
     * Parley's own, not the reference's: more than {@code max-buffered-bytes} or
     * {@code max-buffered-packets} of non-volatile packets were waiting for a client that does not
     * read (or poll) fast enough, so the server cut it off ({@link OutboundBound}).
     */
    SLOW_CONSUMER("slow consumer");

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
