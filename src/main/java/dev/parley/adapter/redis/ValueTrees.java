package dev.parley.adapter.redis;

import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.Placeholders;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-P values and JSON text to and from the value trees {@link Notepack} writes, which is what a
 * JavaScript object is on the wire: placeholders of a Socket.IO packet become the {@code byte[]} they
 * stand for (socket.io packets between nodes carry Buffers in place), and back. Stateless.
 */
final class ValueTrees {

    private ValueTrees() {
    }

    /**
     * A JSON value as a tree; each binary placeholder is replaced by its attachment (none when
     * {@code attachments} is empty).
     */
    static Object fromJson(JsonValue v, List<byte[]> attachments) {
        switch (v.getValueType()) {
            case NULL:
                return null;
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case STRING:
                return ((JsonString) v).getString();
            case NUMBER: {
                JsonNumber n = (JsonNumber) v;
                if (n.isIntegral()) {
                    try {
                        return n.longValueExact();
                    } catch (ArithmeticException tooBig) {
                        return n.doubleValue();
                    }
                }
                return n.doubleValue();
            }
            case OBJECT: {
                if (!attachments.isEmpty() && Placeholders.isPlaceholder(v)) {
                    int i = Placeholders.indexOf(v);
                    if (i >= 0 && i < attachments.size()) {
                        return attachments.get(i);
                    }
                }
                Map<String, Object> m = new LinkedHashMap<>();
                ((JsonObject) v).forEach((k, c) -> m.put(k, fromJson(c, attachments)));
                return m;
            }
            case ARRAY:
            default: {
                JsonArray a = (JsonArray) v;
                List<Object> l = new ArrayList<>(a.size());
                for (JsonValue c : a) {
                    l.add(fromJson(c, attachments));
                }
                return l;
            }
        }
    }

    /** A tree as JSON; each {@code byte[]} is appended to {@code attachments} and replaced by a placeholder. */
    static JsonValue toJson(Object tree, List<byte[]> attachments) {
        return PayloadValues.toJson(tree, attachments);
    }

    /** Whether a tree holds binary anywhere (then only msgpack can carry it). */
    static boolean hasBinary(Object tree) {
        if (tree instanceof byte[]) {
            return true;
        }
        if (tree instanceof Map<?, ?> m) {
            for (Object c : m.values()) {
                if (hasBinary(c)) {
                    return true;
                }
            }
        } else if (tree instanceof List<?> l) {
            for (Object c : l) {
                if (hasBinary(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A tree without binary as JSON text, as {@code JSON.stringify} writes it. */
    static String toJsonText(Object tree) {
        List<byte[]> none = new ArrayList<>(0);
        JsonValue json = toJson(tree, none);
        if (!none.isEmpty()) {
            throw new IllegalArgumentException("binary data cannot travel as JSON");
        }
        return json.toString();
    }

    /**
     * A message the official adapter publishes either way: JSON when its first byte is {@code '{'},
     * msgpack otherwise.
     *
     * @throws IOException when it is neither
     */
    static Object decodeMessage(byte[] bytes) throws IOException {
        if (bytes.length > 0 && bytes[0] == '{') {
            try (var reader = Jsonp.PROVIDER.createReader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
                return fromJson(reader.readValue(), List.of());
            } catch (jakarta.json.JsonException e) {
                throw new IOException("malformed JSON: " + e.getMessage(), e);
            }
        }
        return Notepack.decode(bytes);
    }
}
