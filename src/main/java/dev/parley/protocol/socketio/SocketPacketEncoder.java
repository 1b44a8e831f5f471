package dev.parley.protocol.socketio;

/**
 * Encodes a {@link SocketPacket} into the text of its Engine.IO message:
 * {@code <type>[<attachments>-][<namespace>,][<ack id>][<JSON>]}, e.g.
 * {@code 2/admin,456["project:delete",123]} or {@code 51-["hello",{"_placeholder":true,"num":0}]}.
 * The attachments themselves follow as binary messages, sent by the caller. JSON is compact.
 */
public final class SocketPacketEncoder {

    private SocketPacketEncoder() {
    }

    public static String encode(SocketPacket p) {
        String json = p.data() == null ? null : p.data().toString();
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
}
