package dev.parley.protocol.engineio;

import dev.parley.protocol.MalformedPacketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Encodes and decodes Engine.IO v4 packets: WebSocket frames (one packet each; binary messages as
 * raw binary frames) and HTTP long-polling payloads (packets joined by the record separator
 * {@code \u001e}, binary ones as {@code b} + base64). Pure functions, no I/O.
 */
public final class EngineCodec {

    /** The separator between packets in a polling payload. */
    public static final char SEPARATOR = '\u001e';

    private EngineCodec() {
    }

    /**
     * The text frame of a packet, e.g. {@code 4hello} or {@code 2}, built on each call: a packet
     * sent to many connections is encoded once through {@link EncodedPacket}.
     */
    public static String encodeText(EnginePacket p) {
        if (p.isBinary()) {
            throw new IllegalArgumentException("a binary packet travels as a binary frame, not as text");
        }
        String text = p.text();
        return text == null ? String.valueOf(p.type().code())
                : new StringBuilder(text.length() + 1).append(p.type().code()).append(text).toString();
    }

    /** Decodes a text frame. */
    public static EnginePacket decodeText(String frame) throws MalformedPacketException {
        if (frame == null || frame.isEmpty()) {
            throw new MalformedPacketException("empty Engine.IO packet");
        }
        EnginePacketType type = EnginePacketType.fromCode(frame.charAt(0));
        return frame.length() == 1 && type != EnginePacketType.MESSAGE
                ? EnginePacket.of(type)
                : EnginePacket.of(type, frame.substring(1));
    }

    /** A binary frame is always a binary MESSAGE. */
    public static EnginePacket decodeBinary(byte[] frame) {
        return EnginePacket.binary(frame);
    }

    /** The polling payload carrying these encoded packets in order (their text frames reused). */
    public static String encodePayloadFrom(List<EncodedPacket> packets) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < packets.size(); i++) {
            if (i > 0) {
                sb.append(SEPARATOR);
            }
            EncodedPacket p = packets.get(i);
            if (p.isBinary()) {
                sb.append('b').append(Base64.getEncoder().encodeToString(p.packet().binary()));
            } else {
                sb.append(p.text());
            }
        }
        return sb.toString();
    }

    /**
     * As {@link #encodePayloadFrom}, in UTF-8, built in one array: each text packet's bytes are copied
     * from its WebSocket frame ({@link EncodedPacket#webSocketFrame()}), which a broadcast builds once
     * and shares, so a payload sent to N polling clients costs N copies, not N encodings to UTF-8.
     */
    public static byte[] encodePayloadBytes(List<EncodedPacket> packets) {
        int n = packets.size();
        byte[][] parts = new byte[n][];
        int[] offsets = new int[n];
        int total = Math.max(0, n - 1); // the separators
        for (int i = 0; i < n; i++) {
            EncodedPacket p = packets.get(i);
            if (p.isBinary()) {
                parts[i] = ("b" + Base64.getEncoder().encodeToString(p.packet().binary()))
                        .getBytes(StandardCharsets.US_ASCII);
            } else {
                parts[i] = p.webSocketFrame();
                offsets[i] = WebSocketFrames.payloadOffset(parts[i]);
            }
            total += parts[i].length - offsets[i];
        }
        byte[] out = new byte[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out[at++] = (byte) SEPARATOR;
            }
            int len = parts[i].length - offsets[i];
            System.arraycopy(parts[i], offsets[i], out, at, len);
            at += len;
        }
        return out;
    }

    /** The polling payload carrying these packets in order. */
    public static String encodePayload(List<EnginePacket> packets) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < packets.size(); i++) {
            if (i > 0) {
                sb.append(SEPARATOR);
            }
            EnginePacket p = packets.get(i);
            if (p.isBinary()) {
                sb.append('b').append(Base64.getEncoder().encodeToString(p.binary()));
            } else {
                sb.append(p.type().code());
                if (p.text() != null) {
                    sb.append(p.text());
                }
            }
        }
        return sb.toString();
    }

    /** Decodes a polling payload into its packets. */
    public static List<EnginePacket> decodePayload(String body) throws MalformedPacketException {
        if (body == null || body.isEmpty()) {
            throw new MalformedPacketException("empty polling payload");
        }
        List<EnginePacket> out = new ArrayList<>(2);
        int start = 0;
        while (true) {
            int end = body.indexOf(SEPARATOR, start);
            String segment = end < 0 ? body.substring(start) : body.substring(start, end);
            out.add(decodeSegment(segment));
            if (end < 0) {
                return out;
            }
            start = end + 1;
        }
    }

    private static EnginePacket decodeSegment(String segment) throws MalformedPacketException {
        if (segment.isEmpty()) {
            throw new MalformedPacketException("empty packet in polling payload");
        }
        if (segment.charAt(0) == 'b') {
            try {
                return EnginePacket.binary(Base64.getDecoder().decode(base64Text(segment)));
            } catch (IllegalArgumentException e) {
                throw new MalformedPacketException("invalid base64 in binary packet", e);
            }
        }
        return decodeText(segment);
    }

    /**
     * The base64 text of a {@code b} segment without its ASCII whitespace (space, tab, LF, FF, CR:
     * WHATWG's forgiving-base64 set). Node's reference server decodes with {@code Buffer.from(x,
     * "base64")}, which skips whitespace, and a client that wraps its base64 lines (the Java
     * {@code socket.io-client} 2.x sends {@code bAQID\n}) relies on it. Anything else outside the
     * alphabet is still refused by the strict decoder; the MIME decoder is not used, as it would
     * silently skip any character at all ({@code bAQ!ID} would decode).
     */
    private static String base64Text(String segment) {
        int n = segment.length();
        int i = 1;
        while (i < n && !isAsciiWhitespace(segment.charAt(i))) {
            i++;
        }
        if (i == n) {
            return segment.substring(1); // the usual case: nothing to strip, one copy as before
        }
        StringBuilder b = new StringBuilder(n - 1).append(segment, 1, i);
        for (; i < n; i++) {
            char c = segment.charAt(i);
            if (!isAsciiWhitespace(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isAsciiWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    /**
     * The open packet, exactly as the reference server writes it:
     * {@code 0{"sid":"…","upgrades":[…],"pingInterval":N,"pingTimeout":N,"maxPayload":N}}.
     */
    public static String encodeOpen(String sid, List<String> upgrades, long pingInterval, long pingTimeout,
                                    long maxPayload) {
        StringBuilder sb = new StringBuilder(128).append("0{\"sid\":");
        appendJsonString(sb, sid);
        sb.append(",\"upgrades\":[");
        for (int i = 0; i < upgrades.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            appendJsonString(sb, upgrades.get(i));
        }
        return sb.append("],\"pingInterval\":").append(pingInterval).append(",\"pingTimeout\":").append(pingTimeout)
                .append(",\"maxPayload\":").append(maxPayload).append('}').toString();
    }

    private static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
