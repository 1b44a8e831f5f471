package dev.parley.protocol.engineio;

import dev.parley.protocol.MalformedPacketException;

/** The seven Engine.IO v4 packet types, with their wire digits {@code '0'..'6'}. */
public enum EnginePacketType {
    OPEN, CLOSE, PING, PONG, MESSAGE, UPGRADE, NOOP;

    private static final EnginePacketType[] BY_CODE = values();

    /** The wire digit of this type. */
    public char code() {
        return (char) ('0' + ordinal());
    }

    /** The type with this wire digit. */
    public static EnginePacketType fromCode(char c) throws MalformedPacketException {
        int i = c - '0';
        if (i < 0 || i >= BY_CODE.length) {
            throw new MalformedPacketException("unknown Engine.IO packet type '" + c + "'");
        }
        return BY_CODE[i];
    }
}
