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
    private final boolean compress;
    /** Built on first use; volatile so a thread that finds it set also sees its bytes. */
    private volatile byte[] webSocketFrame;
    /** The permessage-deflate form, built on first use likewise. */
    private volatile byte[] deflatedFrame;

    private EncodedPacket(EnginePacket packet, String text, boolean compress) {
        this.packet = packet;
        this.text = text;
        this.compress = compress;
    }

    /** Encodes the packet's text form now; its WebSocket frame when first asked for. May be compressed. */
    public static EncodedPacket of(EnginePacket packet) {
        return of(packet, true);
    }

    /**
     * As {@link #of(EnginePacket)}; {@code compress} false (Socket.IO's {@code compress(false)}) keeps
     * the packet from being compressed on any transport.
     */
    public static EncodedPacket of(EnginePacket packet, boolean compress) {
        Objects.requireNonNull(packet, "packet");
        return new EncodedPacket(packet, packet.isBinary() ? null : EngineCodec.encodeText(packet), compress);
    }

    /** This packet with another compress flag, sharing the encoded text (and frame, once built). */
    public EncodedPacket withCompress(boolean value) {
        if (value == compress) {
            return this;
        }
        EncodedPacket other = new EncodedPacket(packet, text, value);
        other.webSocketFrame = webSocketFrame;
        return other;
    }

    /**
     * Whether the packet may be compressed (engine.io's {@code packet.options.compress}): true unless
     * sent with {@code compress(false)}. Whether it is depends on the transport's settings and size.
     */
    public boolean compress() {
        return compress;
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

    /** The payload length of {@link #webSocketFrame()} (the text in UTF-8, or the binary bytes). */
    public int webSocketPayloadLength() {
        byte[] frame = webSocketFrame();
        return frame.length - WebSocketFrames.payloadOffset(frame);
    }

    /**
     * The whole frame, compressed ({@code deflated}: RSV1 set, payload deflated without context, see
     * {@link PerMessageDeflate}) or not; each form is built once and shared by every recipient.
     */
    public byte[] webSocketFrame(boolean deflated) {
        if (!deflated) {
            return webSocketFrame();
        }
        byte[] frame = deflatedFrame;
        if (frame == null) {
            frame = WebSocketFrames.deflated(webSocketFrame());
            deflatedFrame = frame;
        }
        return frame;
    }

    @Override
    public String toString() {
        return packet.toString();
    }
}
