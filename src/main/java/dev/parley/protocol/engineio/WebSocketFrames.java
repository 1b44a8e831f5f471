package dev.parley.protocol.engineio;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Server-to-client WebSocket frames (RFC 6455 section 5.2: FIN set, no mask; RSV1 only for a
 * permessage-deflate message, {@link #deflated}) for
 * Engine.IO packets, so a packet broadcast to many connections is framed once (in its
 * {@link EncodedPacket}) and the same bytes are written to each. Pure functions, no I/O.
 */
public final class WebSocketFrames {

    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int RSV1 = 0x40;

    private WebSocketFrames() {
    }

    /**
     * The whole frame carrying this packet, built on each call: a text frame, or a binary frame for
     * binary messages. A packet sent to many connections is framed once through {@link EncodedPacket}.
     */
    public static byte[] of(EnginePacket p) {
        return of(p, p.isBinary() ? null : EngineCodec.encodeText(p));
    }

    /** The frame of {@code p} whose Engine.IO text frame is already known ({@code null} for binary). */
    static byte[] of(EnginePacket p, String textFrame) {
        return p.isBinary() ? frame(OPCODE_BINARY, p.binary())
                : frame(OPCODE_TEXT, textFrame.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where the payload of a frame made here starts (its header's length: 2, 4 or 10 bytes), for a
     * writer that frames payloads itself and takes them out of the shared frame without a copy.
     */
    public static int payloadOffset(byte[] frame) {
        int len = frame[1] & 0x7F;
        return len < 126 ? 2 : len == 126 ? 4 : 10;
    }

    /** Whether a frame made here is a binary frame (else it is a text frame). */
    public static boolean isBinary(byte[] frame) {
        return (frame[0] & 0x0F) == OPCODE_BINARY;
    }

    /**
     * The permessage-deflate form of a frame made here (RFC 7692): the same opcode with RSV1 set, its
     * payload compressed without context ({@link PerMessageDeflate#deflate}), so any connection that
     * negotiated the extension can be sent the same bytes.
     */
    public static byte[] deflated(byte[] frame) {
        int offset = payloadOffset(frame);
        byte[] compressed = PerMessageDeflate.deflate(Arrays.copyOfRange(frame, offset, frame.length));
        byte[] out = frame(frame[0] & 0x0F, compressed);
        out[0] |= RSV1;
        return out;
    }

    /** Whether a frame has RSV1 set (a compressed message under permessage-deflate). */
    public static boolean isCompressed(byte[] frame) {
        return (frame[0] & RSV1) != 0;
    }

    static byte[] frame(int opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] out = new byte[header + n];
        out[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            out[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            out[1] = 126;
            out[2] = (byte) (n >>> 8);
            out[3] = (byte) n;
        } else {
            out[1] = 127;
            long len = n;
            for (int i = 0; i < 8; i++) {
                out[2 + i] = (byte) (len >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, out, header, n);
        return out;
    }
}
