package dev.parley.server;

import dev.parley.engine.EngineCloseReason;

/**
 * Why a socket disconnected, with the reference server's reason strings: its own (a namespace left
 * on either side, a server-side close) and, one for each, the connection's ({@link EngineCloseReason}).
 */
public enum DisconnectReason {
    /** {@code socket.disconnect()} on the server. */
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),
    /** The client called {@code socket.disconnect()}. */
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
    /** The server is stopping. */
    SERVER_SHUTTING_DOWN(EngineCloseReason.SERVER_SHUTTING_DOWN),
    /** The client stopped answering pings. */
    PING_TIMEOUT(EngineCloseReason.PING_TIMEOUT),
    /** The connection was closed (the user left, the network dropped). */
    TRANSPORT_CLOSE(EngineCloseReason.TRANSPORT_CLOSE),
    /** The connection failed. */
    TRANSPORT_ERROR(EngineCloseReason.TRANSPORT_ERROR),
    /** The client sent an invalid packet. */
    PARSE_ERROR(EngineCloseReason.PARSE_ERROR),
    /** The server closed the underlying connection. */
    FORCED_CLOSE(EngineCloseReason.FORCED_CLOSE),
    /** The server closed the connection because a packet did not fit its state (a second CONNECT...). */
    FORCED_SERVER_CLOSE("forced server close"),
    /** The client did not read what was sent to it fast enough: its outbound bound was exceeded. */
    SLOW_CONSUMER(EngineCloseReason.SLOW_CONSUMER);

    private final String wire;
    private final EngineCloseReason engine; // the connection's reason this one reports, or null

    DisconnectReason(String wire) {
        this.wire = wire;
        this.engine = null;
    }

    /** A socket's reason that is its connection's: the same string, as in the reference server. */
    DisconnectReason(EngineCloseReason engine) {
        this.wire = engine.wire();
        this.engine = engine;
    }

    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }

    /** The socket's reason when its whole connection closed for {@code reason}. */
    static DisconnectReason of(EngineCloseReason reason) {
        for (DisconnectReason r : values()) {
            if (r.engine == reason) {
                return r;
            }
        }
        throw new IllegalArgumentException("no socket reason for " + reason);
    }
}
