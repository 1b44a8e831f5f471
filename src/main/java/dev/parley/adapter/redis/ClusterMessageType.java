package dev.parley.adapter.redis;

/**
 * The message types of socket.io-adapter's {@code ClusterAdapter} protocol ({@code MessageType} in
 * cluster-adapter.ts), with their numbers on the wire.
 */
public enum ClusterMessageType {
    INITIAL_HEARTBEAT(1), HEARTBEAT(2), BROADCAST(3), SOCKETS_JOIN(4), SOCKETS_LEAVE(5), DISCONNECT_SOCKETS(6),
    FETCH_SOCKETS(7), FETCH_SOCKETS_RESPONSE(8), SERVER_SIDE_EMIT(9), SERVER_SIDE_EMIT_RESPONSE(10),
    BROADCAST_CLIENT_COUNT(11), BROADCAST_ACK(12), ADAPTER_CLOSE(13);

    private final int code;

    ClusterMessageType(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The type with this number, or null for one this protocol does not know. */
    public static ClusterMessageType of(int code) {
        for (ClusterMessageType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** Whether this message's data may hold binaries (the official adapters then write msgpack). */
    public boolean mayContainBinary() {
        return this == BROADCAST || this == BROADCAST_ACK || this == FETCH_SOCKETS_RESPONSE
                || this == SERVER_SIDE_EMIT || this == SERVER_SIDE_EMIT_RESPONSE;
    }
}
