package dev.parley.protocol.socketio;

import dev.parley.protocol.MalformedPacketException;

/** The seven Socket.IO v5 packet types, with their wire digits {@code '0'..'6'}. */
public enum SocketPacketType {
    CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

    private static final SocketPacketType[] BY_CODE = values();

    public int code() {
        return ordinal();
    }

    public static SocketPacketType fromCode(char c) throws MalformedPacketException {
        int i = c - '0';
        if (i < 0 || i >= BY_CODE.length) {
            throw new MalformedPacketException("unknown Socket.IO packet type '" + c + "'");
        }
        return BY_CODE[i];
    }

    /** Whether packets of this type carry binary attachments. */
    public boolean isBinary() {
        return this == BINARY_EVENT || this == BINARY_ACK;
    }
}
