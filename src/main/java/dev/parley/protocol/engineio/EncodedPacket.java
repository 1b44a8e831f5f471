package dev.parley.protocol.engineio;

import java.util.Objects;

/**
 * An Engine.IO packet together with its encoded forms, built once when the value is made: the text
 * frame (for polling payloads and the portable WebSocket API) and the whole WebSocket frame (for
 * raw frame writers). A broadcast makes one and hands the same instance to every recipient, so a
 * packet sent to N connections is encoded and framed once, not N times. Immutable; the frame array
 * is shared and must not be changed by anyone who reads it.
 */
public final class EncodedPacket {

    public static final EncodedPacket PING = of(EnginePacket.PING);
    public static final EncodedPacket NOOP = of(EnginePacket.NOOP);
    public static final EncodedPacket CLOSE = of(EnginePacket.CLOSE);
    public static final EncodedPacket PONG_PROBE = of(EnginePacket.PONG_PROBE);

    private final EnginePacket packet;
    private final String text;
    private final byte[] webSocketFrame;

    private EncodedPacket(EnginePacket packet) {
        this.packet = packet;
        this.text = packet.isBinary() ? null : EngineCodec.encodeText(packet);
        this.webSocketFrame = WebSocketFrames.of(packet, text);
    }

    /** Encodes the packet into both forms now. */
    public static EncodedPacket of(EnginePacket packet) {
        return new EncodedPacket(Objects.requireNonNull(packet, "packet"));
    }

    /** The packet itself. */
    public EnginePacket packet() {
        return packet;
    }

    public boolean isBinary() {
        return packet.isBinary();
    }

    /** The Engine.IO text frame, e.g. {@code 4hello}; {@code null} for a binary message. */
    public String text() {
        return text;
    }

    /** The whole server-to-client WebSocket frame (shared: read it, never change it). */
    public byte[] webSocketFrame() {
        return webSocketFrame;
    }

    @Override
    public String toString() {
        return packet.toString();
    }
}
