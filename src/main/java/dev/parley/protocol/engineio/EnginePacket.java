package dev.parley.protocol.engineio;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Engine.IO packet: a type and either a text payload (possibly absent) or, for binary
 * MESSAGE packets only, bytes. Immutable; the byte array is owned by the packet and must not be
 * changed after construction (it is shared, not copied, so broadcasts cost nothing per recipient).
 * Its encoded forms, built once for all the recipients of a broadcast, are an {@link EncodedPacket}.
 */
public final class EnginePacket {

    public static final EnginePacket PING = new EnginePacket(EnginePacketType.PING, null, null);
    public static final EnginePacket PONG = new EnginePacket(EnginePacketType.PONG, null, null);
    public static final EnginePacket NOOP = new EnginePacket(EnginePacketType.NOOP, null, null);
    public static final EnginePacket CLOSE = new EnginePacket(EnginePacketType.CLOSE, null, null);
    public static final EnginePacket UPGRADE = new EnginePacket(EnginePacketType.UPGRADE, null, null);
    /** The client's upgrade probe, {@code 2probe}. */
    public static final EnginePacket PING_PROBE = new EnginePacket(EnginePacketType.PING, "probe", null);
    /** The server's answer to the probe, {@code 3probe}. */
    public static final EnginePacket PONG_PROBE = new EnginePacket(EnginePacketType.PONG, "probe", null);

    private final EnginePacketType type;
    private final String text;
    private final byte[] binary;

    private EnginePacket(EnginePacketType type, String text, byte[] binary) {
        this.type = Objects.requireNonNull(type, "type");
        this.text = text;
        this.binary = binary;
    }

    public static EnginePacket of(EnginePacketType type) {
        return new EnginePacket(type, null, null);
    }

    public static EnginePacket of(EnginePacketType type, String text) {
        return new EnginePacket(type, text, null);
    }

    /** A text MESSAGE packet. */
    public static EnginePacket message(String text) {
        return new EnginePacket(EnginePacketType.MESSAGE, Objects.requireNonNull(text, "text"), null);
    }

    /** A binary MESSAGE packet carrying these bytes (not copied). */
    public static EnginePacket binary(byte[] data) {
        return new EnginePacket(EnginePacketType.MESSAGE, null, Objects.requireNonNull(data, "data"));
    }

    public EnginePacketType type() {
        return type;
    }

    /** The text payload, or {@code null} for binary packets and packets without payload. */
    public String text() {
        return text;
    }

    /** The bytes of a binary MESSAGE, else {@code null}. */
    public byte[] binary() {
        return binary;
    }

    public boolean isBinary() {
        return binary != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnginePacket p && type == p.type && Objects.equals(text, p.text)
                && Arrays.equals(binary, p.binary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, text) * 31 + Arrays.hashCode(binary);
    }

    @Override
    public String toString() {
        return type + (binary != null ? "<" + binary.length + " bytes>" : text == null ? "" : "\"" + text + "\"");
    }
}
