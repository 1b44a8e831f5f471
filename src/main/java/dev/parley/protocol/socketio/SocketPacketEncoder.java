package dev.parley.protocol.socketio;

/**
 * Encodes a {@link SocketPacket} into the text of its Engine.IO message:
 * {@code <type>[<attachments>-][<namespace>,][<ack id>][<JSON>]}, e.g.
 * {@code 2/admin,456["project:delete",123]} or {@code 51-["hello",{"_placeholder":true,"num":0}]}.
 * The attachments themselves follow as binary messages, sent by the caller. JSON is compact, and a
 * lone surrogate in a string is written as a JSON escape (backslash, u, four hex digits), as {@code JSON.stringify} does
 * (raw, it could not be encoded as UTF-8 and would reach the client as {@code ?}).
 */
public final class SocketPacketEncoder {

    private SocketPacketEncoder() {
    }

    public static String encode(SocketPacket p) {
        String json = p.data() == null ? null : escapeLoneSurrogates(p.data().toString());
        StringBuilder sb = new StringBuilder((json == null ? 0 : json.length()) + p.namespace().length() + 16);
        sb.append((char) ('0' + p.type().code()));
        if (p.type().isBinary()) {
            sb.append(p.attachments().size()).append('-');
        }
        if (!"/".equals(p.namespace())) {
            sb.append(p.namespace()).append(',');
        }
        if (p.hasAck()) {
            sb.append(p.ackId());
        }
        if (json != null) {
            sb.append(json);
        }
        return sb.toString();
    }

    /**
     * {@code json} with every unpaired UTF-16 surrogate replaced by its JSON escape. Surrogates can
     * only stand inside JSON strings, where the escape means the same character.
     */
    static String escapeLoneSurrogates(String json) {
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0, n = json.length(); i < n; i++) {
            char c = json.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(json.charAt(i + 1))) {
                i++; // a well-formed pair
                continue;
            }
            if (out == null) {
                out = new StringBuilder(json.length() + 16);
            }
            out.append(json, copied, i).append("\\u").append(Integer.toHexString(c));
            copied = i + 1;
        }
        return out == null ? json : out.append(json, copied, json.length()).toString();
    }
}
