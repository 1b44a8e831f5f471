package dev.parley.protocol.socketio;

import dev.parley.protocol.MalformedPacketException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes Socket.IO v5 packets for one connection. Stateful: a binary packet's text comes first,
 * then its attachments as binary messages; {@link #decodeText} returns null until the packet is
 * whole. Validation is as strict as the reference parser's, and any violation is a
 * {@link MalformedPacketException}: a payload nested deeper than {@link #MAX_JSON_DEPTH} levels,
 * a reserved event name, an ack id beyond a signed 64-bit integer, more attachments than allowed
 * or attachments larger than allowed. Not thread-safe (one connection delivers in order).
 */
public final class SocketPacketDecoder {

    /**
     * How deep a payload may nest, counting the payload itself: an event's arguments (or a CONNECT
     * payload's members) may nest 1,000 levels, as deep as the reference server echoes.
     */
    public static final int MAX_JSON_DEPTH = 1001;

    // Parsson's limit counts from 1 and refuses the level that reaches it; other providers ignore
    // the key, and whatever they throw on deep input is still turned into a malformed packet below.
    private static final JsonParserFactory PARSERS = Jsonp.PROVIDER.createParserFactory(
            Map.of("org.eclipse.parsson.maxDepth", MAX_JSON_DEPTH + 1));

    private final int maxAttachments;
    private final long maxAttachmentBytes;
    private SocketPacket pending;
    private List<byte[]> received;
    private long receivedBytes;
    private int expected;

    /** A decoder allowing {@code maxAttachments} attachments per packet, of any total size. */
    public SocketPacketDecoder(int maxAttachments) {
        this(maxAttachments, Long.MAX_VALUE);
    }

    /**
     * @param maxAttachments     most binary attachments one packet may announce
     * @param maxAttachmentBytes most bytes the attachments of one packet may hold together
     */
    public SocketPacketDecoder(int maxAttachments, long maxAttachmentBytes) {
        this.maxAttachments = maxAttachments;
        this.maxAttachmentBytes = maxAttachmentBytes;
    }

    /** Whether a binary packet is waiting for attachments. */
    public boolean awaitingAttachments() {
        return pending != null;
    }

    /** Forgets a half-received binary packet. */
    public void reset() {
        pending = null;
        received = null;
        receivedBytes = 0;
        expected = 0;
    }

    /** Decodes a text message: the whole packet, or null when attachments must follow. */
    public SocketPacket decodeText(String text) throws MalformedPacketException {
        if (pending != null) {
            throw new MalformedPacketException("text packet received while " + (expected - received.size())
                    + " binary attachment(s) were still expected");
        }
        SocketPacket p = parse(text, true);
        if (!p.type().isBinary()) {
            return p;
        }
        pending = p;
        received = new ArrayList<>(expected);
        return null;
    }

    /**
     * Parses one text message on its own, as {@link #decodeText} would with no packet pending, but
     * touching no state: a binary packet comes back as announced (no attachments), and the caller
     * hands that text to a connection's own decoder to collect them. Safe for one decoder shared
     * by many connections and threads.
     */
    public SocketPacket parseWhole(String text) throws MalformedPacketException {
        return parse(text, false);
    }

    /** Adds a binary attachment: the whole packet when it was the last one, else null. */
    public SocketPacket decodeBinary(byte[] data) throws MalformedPacketException {
        if (pending == null) {
            throw new MalformedPacketException("binary data received but no packet announced attachments");
        }
        receivedBytes += data.length;
        if (receivedBytes > maxAttachmentBytes) {
            reset();
            throw new MalformedPacketException("binary attachments larger than " + maxAttachmentBytes + " bytes");
        }
        received.add(data);
        if (received.size() < expected) {
            return null;
        }
        SocketPacket whole = new SocketPacket(pending.type(), pending.namespace(), pending.ackId(), pending.data(),
                received);
        reset();
        return whole;
    }

    /** Parses {@code s}; {@code keep}: a binary packet's attachment count is kept for {@link #decodeBinary}. */
    private SocketPacket parse(String s, boolean keep) throws MalformedPacketException {
        if (s == null || s.isEmpty()) {
            throw new MalformedPacketException("empty Socket.IO packet");
        }
        SocketPacketType type = SocketPacketType.fromCode(s.charAt(0));
        int i = 1;
        int n = s.length();
        int attachments = 0;
        if (type.isBinary()) {
            int dash = s.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 9) {
                throw new MalformedPacketException("binary packet without a valid attachment count");
            }
            for (int k = i; k < dash; k++) {
                if (!isDigit(s.charAt(k))) {
                    throw new MalformedPacketException("attachment count is not a number");
                }
            }
            attachments = Integer.parseInt(s, i, dash, 10);
            if (attachments < 1 || attachments > maxAttachments) {
                throw new MalformedPacketException("attachment count " + attachments + " out of range 1.."
                        + maxAttachments);
            }
            i = dash + 1;
        }
        String namespace = "/";
        if (i < n && s.charAt(i) == '/') {
            int comma = s.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            namespace = s.substring(i, end);
            i = comma < 0 ? n : comma + 1;
        }
        long ackId = SocketPacket.NO_ACK;
        if (i < n && isDigit(s.charAt(i))) {
            // Any run of digits is an id, as for the reference parser, up to 2^63-1: beyond that
            // no id can be answered exactly (Node answers ids past 2^53 with a rounded one).
            ackId = 0;
            while (i < n && isDigit(s.charAt(i))) {
                int digit = s.charAt(i++) - '0';
                if (ackId > (Long.MAX_VALUE - digit) / 10) {
                    throw new MalformedPacketException("ack id larger than " + Long.MAX_VALUE);
                }
                ackId = ackId * 10 + digit;
            }
        }
        JsonValue data = i < n ? parseJson(s.substring(i)) : null;
        validate(type, ackId, data, attachments);
        if (keep && type.isBinary()) {
            expected = attachments;
        }
        return new SocketPacket(type, namespace, ackId, data, List.of());
    }

    private static JsonValue parseJson(String json) throws MalformedPacketException {
        try (JsonParser parser = PARSERS.createParser(new StringReader(json))) {
            if (!parser.hasNext()) {
                throw new MalformedPacketException("empty JSON payload");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw new MalformedPacketException("unexpected data after the JSON payload");
            }
            return value;
        } catch (RuntimeException e) {
            // Whatever the provider throws on input it cannot read is the client's fault: JsonException,
            // NumberFormatException for a number like 1e999999999999 that BigDecimal cannot hold, and
            // the plain RuntimeException with which Parsson refuses input nested past its limit.
            String why = e.getClass() == RuntimeException.class
                    ? "nested deeper than " + MAX_JSON_DEPTH + " levels" : e.getMessage();
            throw new MalformedPacketException("invalid JSON payload: " + why, e);
        }
    }

    private static void validate(SocketPacketType type, long ackId, JsonValue data, int attachments)
            throws MalformedPacketException {
        switch (type) {
            case CONNECT -> {
                if (data != null && !(data instanceof JsonObject)) {
                    throw new MalformedPacketException("CONNECT payload must be an object");
                }
            }
            case DISCONNECT -> {
                if (data != null) {
                    throw new MalformedPacketException("DISCONNECT takes no payload");
                }
            }
            case EVENT, BINARY_EVENT -> {
                if (!(data instanceof JsonArray a) || a.isEmpty()
                        || !(a.get(0) instanceof JsonString || a.get(0) instanceof JsonNumber)) {
                    throw new MalformedPacketException("EVENT payload must be an array starting with the event name");
                }
                if (a.get(0) instanceof JsonString name && SocketPacket.RESERVED_EVENTS.contains(name.getString())) {
                    throw new MalformedPacketException("\"" + name.getString() + "\" is a reserved event name");
                }
            }
            case ACK, BINARY_ACK -> {
                if (!(data instanceof JsonArray)) {
                    throw new MalformedPacketException("ACK payload must be an array");
                }
                if (ackId == SocketPacket.NO_ACK) {
                    throw new MalformedPacketException("ACK without an ack id");
                }
            }
            case CONNECT_ERROR -> {
                if (!(data instanceof JsonString || data instanceof JsonObject)) {
                    throw new MalformedPacketException("CONNECT_ERROR payload must be a string or an object");
                }
            }
        }
        if (type.isBinary()) {
            checkPlaceholders(data, attachments);
        }
    }

    private static void checkPlaceholders(JsonValue v, int attachments) throws MalformedPacketException {
        if (v instanceof JsonObject o) {
            if (o.containsKey("_placeholder")) {
                if (!Placeholders.isPlaceholder(o)) {
                    throw new MalformedPacketException("malformed binary placeholder");
                }
                int num = Placeholders.indexOf(o);
                if (num < 0 || num >= attachments) {
                    throw new MalformedPacketException("placeholder " + num + " out of range (" + attachments
                            + " attachments)");
                }
                return;
            }
            for (JsonValue c : o.values()) {
                checkPlaceholders(c, attachments);
            }
        } else if (v instanceof JsonArray a) {
            for (JsonValue c : a) {
                checkPlaceholders(c, attachments);
            }
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
