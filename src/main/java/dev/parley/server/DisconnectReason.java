package dev.parley.server;

import dev.parley.engine.EngineCloseReason;

/** Why a socket disconnected, with the reference server's reason strings. */
public enum DisconnectReason {
    /** {@code socket.disconnect()} on the server. */
    SERVER_NAMESPACE_DISCONNECT("server namespace disconnect"),
    /** The client called {@code socket.disconnect()}. */
    CLIENT_NAMESPACE_DISCONNECT("client namespace disconnect"),
    /** The server is stopping. */
    SERVER_SHUTTING_DOWN("server shutting down"),
    /** The client stopped answering pings. */
    PING_TIMEOUT("ping timeout"),
    /** The connection was closed (the user left, the network dropped). */
    TRANSPORT_CLOSE("transport close"),
    /** The connection failed. */
    TRANSPORT_ERROR("transport error"),
    /** The client sent an invalid packet. */
    PARSE_ERROR("parse error"),
    /** The server closed the underlying connection. */
    FORCED_CLOSE("forced close"),
    /** The server closed the connection because a packet did not fit its state (a second CONNECT...). */
    FORCED_SERVER_CLOSE("forced server close");

    private final String wire;

    DisconnectReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }

    static DisconnectReason of(EngineCloseReason reason) {
        return switch (reason) {
            case FORCED_CLOSE -> FORCED_CLOSE;
            case TRANSPORT_CLOSE -> TRANSPORT_CLOSE;
            case TRANSPORT_ERROR -> TRANSPORT_ERROR;
            case PING_TIMEOUT -> PING_TIMEOUT;
            case PARSE_ERROR -> PARSE_ERROR;
            case SERVER_SHUTTING_DOWN -> SERVER_SHUTTING_DOWN;
        };
    }
}
