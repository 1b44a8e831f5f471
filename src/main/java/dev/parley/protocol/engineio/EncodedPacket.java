package dev.parley.protocol.engineio;

import java.util.Objects;

/**
 * An Engine.IO packet together with its encoded forms: the text frame (for polling payloads and the
 * portable WebSocket API), built when the value is made, and the whole WebSocket frame (for raw
 * frame writers), built on first use, as only the standalone server's WebSocket connections need it
 * (a polling session or a WAR's WebSocket never pays for it). A broadcast makes one and hands the
 * same instance to every recipient, so a packet sent to N connections is encoded and framed once,
 * not N times. Immutable in what it shows; the frame array is shared and must not be changed by
 * anyone who reads it.
 */
public final class EncodedPacket {

    public static final EncodedPacket PING = of(EnginePacket.PING);
    public static final EncodedPacket NOOP = of(EnginePacket.NOOP);
    public static final EncodedPacket CLOSE = of(EnginePacket.CLOSE);
    public static final EncodedPacket PONG_PROBE = of(EnginePacket.PONG_PROBE);

    private final EnginePacket packet;
    private final String text;
    /** Built on first use; volatile so a thread that finds it set also sees its bytes. */
    private volatile byte[] webSocketFrame;

    private EncodedPacket(EnginePacket packet) {
        this.packet = packet;
        this.text = packet.isBinary() ? null : EngineCodec.encodeText(packet);
    }

    /** Encodes the packet's text form now; its WebSocket frame when first asked for. */
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
        byte[] frame = webSocketFrame;
        if (frame == null) {
            // A benign race: recipients that find it unset at once each build an equal frame.
            frame = WebSocketFrames.of(packet, text);
            webSocketFrame = frame;
        }
        return frame;
    }

    @Override
    public String toString() {
        return packet.toString();
    }
}
