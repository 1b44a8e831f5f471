package dev.parley.protocol.socketio;

import dev.parley.protocol.MalformedPacketException;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Decodes Socket.IO v5 packets for one connection. Stateful: a binary packet's text comes first,
 * then its attachments as binary messages; {@link #decodeText} returns null until the packet is
 * whole. Validation is as strict as the reference parser's, and any violation is a
 * {@link MalformedPacketException}. Not thread-safe (one connection delivers in order).
 */
public final class SocketPacketDecoder {

    private static final int MAX_ACK_DIGITS = 18;

    private final int maxAttachments;
    private SocketPacket pending;
    private List<byte[]> received;
    private int expected;

    public SocketPacketDecoder(int maxAttachments) {
        this.maxAttachments = maxAttachments;
    }

    /** Whether a binary packet is waiting for attachments. */
    public boolean awaitingAttachments() {
        return pending != null;
    }

    /** Forgets a half-received binary packet. */
    public void reset() {
        pending = null;
        received = null;
        expected = 0;
    }

    /** Decodes a text message: the whole packet, or null when attachments must follow. */
    public SocketPacket decodeText(String text) throws MalformedPacketException {
        if (pending != null) {
            throw new MalformedPacketException("text packet received while " + (expected - received.size())
                    + " binary attachment(s) were still expected");
        }
        SocketPacket p = parse(text);
        if (!p.type().isBinary()) {
            return p;
        }
        pending = p;
        received = new ArrayList<>(expected);
        return null;
    }

    /** Adds a binary attachment: the whole packet when it was the last one, else null. */
    public SocketPacket decodeBinary(byte[] data) throws MalformedPacketException {
        if (pending == null) {
            throw new MalformedPacketException("binary data received but no packet announced attachments");
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

    private SocketPacket parse(String s) throws MalformedPacketException {
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
        int digitsStart = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        if (i > digitsStart) {
            if (i - digitsStart > MAX_ACK_DIGITS) {
                throw new MalformedPacketException("ack id too long");
            }
            ackId = Long.parseLong(s, digitsStart, i, 10);
        }
        JsonValue data = i < n ? parseJson(s.substring(i)) : null;
        validate(type, ackId, data, attachments);
        if (type.isBinary()) {
            expected = attachments;
        }
        return new SocketPacket(type, namespace, ackId, data, List.of());
    }

    private static JsonValue parseJson(String json) throws MalformedPacketException {
        try (JsonParser parser = Jsonp.PROVIDER.createParser(new StringReader(json))) {
            if (!parser.hasNext()) {
                throw new MalformedPacketException("empty JSON payload");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw new MalformedPacketException("unexpected data after the JSON payload");
            }
            return value;
        } catch (JsonException | NoSuchElementException | IllegalStateException | NumberFormatException
                 | ArithmeticException e) {
            // NumberFormatException: a number like 1e999999999999 that BigDecimal cannot hold
            throw new MalformedPacketException("invalid JSON payload: " + e.getMessage(), e);
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
