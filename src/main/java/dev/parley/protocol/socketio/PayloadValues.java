package dev.parley.protocol.socketio;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the Java values applications emit and receive and the JSON-plus-attachments of
 * a Socket.IO packet, for the server and the client alike.
 *
 * <p>Outgoing ({@link #encode}, {@link #toJson}), at any nesting level:
 * <ul>
 * <li>{@code null}, {@link JsonValue} (as is), {@link String}, {@link Boolean}, {@link Number}
 * (NaN and infinities become null, as {@code JSON.stringify} does), {@link Character} and
 * {@link Enum} (its name) become the JSON scalar;</li>
 * <li>{@code byte[]} and {@link ByteBuffer} (its remaining bytes) become binary attachments, with a
 * placeholder in the JSON;</li>
 * <li>{@link Map} (keys by {@code String.valueOf}) becomes an object, {@link Collection} and object
 * arrays become arrays, their elements converted by these same rules;</li>
 * <li>any other object (a record, a JavaBean, a primitive array, a {@code java.time} value...) is
 * serialized with JSON-B through {@link JsonBinding}, once, where it stands. Binary fields inside
 * such an object follow JSON-B, not attachments. Without a JSON-B implementation this fails with an
 * {@link IllegalStateException} saying so; an object JSON-B cannot serialize fails with an
 * {@link IllegalArgumentException} naming its class and JSON-B's reason.</li>
 * </ul>
 * The types in the first three items are converted without JSON-B, which is never loaded for them.
 *
 * <p>Incoming ({@link #decode}, {@link #fromJson}): see {@link Args}, whose {@code get(i, type)}
 * binds an element to a class through JSON-B. Stateless and thread-safe.
 */
public final class PayloadValues {

    private PayloadValues() {
    }

    /** The JSON array of {@code values} and the attachments its placeholders point to. */
    public record Encoded(JsonArray array, List<byte[]> attachments) {
    }

    /**
     * The data array of an EVENT or ACK packet: {@code event} first unless null, then each value
     * converted by {@link #toJson}. Call it once per packet (a broadcast shares the result).
     *
     * @throws IllegalArgumentException when JSON-B cannot serialize a value
     * @throws IllegalStateException when a value needs JSON-B and none is available
     */
    public static Encoded encode(String event, Object[] values) {
        List<byte[]> attachments = new ArrayList<>(0);
        JsonArrayBuilder b = Jsonp.PROVIDER.createArrayBuilder();
        if (event != null) {
            b.add(event);
        }
        for (Object v : values) {
            b.add(toJson(v, attachments));
        }
        return new Encoded(b.build(), attachments);
    }

    /**
     * One value as JSON (see the class comment for the rules); binaries are appended to
     * {@code attachments} and replaced by placeholders pointing to them.
     *
     * @throws IllegalArgumentException when JSON-B cannot serialize the value or one inside it
     * @throws IllegalStateException when the value needs JSON-B and none is available
     */
    public static JsonValue toJson(Object v, List<byte[]> attachments) {
        if (v == null) {
            return JsonValue.NULL;
        }
        if (v instanceof JsonValue j) {
            return j;
        }
        if (v instanceof String s) {
            return Jsonp.PROVIDER.createValue(s);
        }
        if (v instanceof Boolean bool) {
            return bool ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Jsonp.PROVIDER.createValue(((Number) v).longValue());
        }
        if (v instanceof BigDecimal d) {
            return Jsonp.PROVIDER.createValue(d);
        }
        if (v instanceof BigInteger i) {
            return Jsonp.PROVIDER.createValue(i);
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return JsonValue.NULL; // as JSON.stringify does
            }
            return Jsonp.PROVIDER.createValue(d);
        }
        if (v instanceof byte[] bytes) {
            attachments.add(bytes);
            return Placeholders.placeholder(attachments.size() - 1);
        }
        if (v instanceof ByteBuffer buf) {
            ByteBuffer dup = buf.duplicate();
            byte[] bytes = new byte[dup.remaining()];
            dup.get(bytes);
            attachments.add(bytes);
            return Placeholders.placeholder(attachments.size() - 1);
        }
        if (v instanceof Map<?, ?> map) {
            JsonObjectBuilder ob = Jsonp.PROVIDER.createObjectBuilder();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                ob.add(String.valueOf(e.getKey()), toJson(e.getValue(), attachments));
            }
            return ob.build();
        }
        if (v instanceof Collection<?> c) {
            JsonArrayBuilder ab = Jsonp.PROVIDER.createArrayBuilder();
            for (Object o : c) {
                ab.add(toJson(o, attachments));
            }
            return ab.build();
        }
        if (v instanceof Object[] arr) {
            return toJson(Arrays.asList(arr), attachments); // List.of refuses null elements
        }
        if (v instanceof Character ch) {
            return Jsonp.PROVIDER.createValue(String.valueOf(ch));
        }
        if (v instanceof Enum<?> e) {
            return Jsonp.PROVIDER.createValue(e.name());
        }
        return JsonBinding.toJsonValue(v); // last: the types above never pay for it
    }

    /** Decodes the elements of a packet's data array from {@code from} on, resolving placeholders. */
    public static List<Object> decode(JsonArray data, int from, List<byte[]> attachments) {
        List<Object> out = new ArrayList<>(Math.max(0, data.size() - from));
        for (int i = from; i < data.size(); i++) {
            out.add(fromJson(data.get(i), attachments));
        }
        return out;
    }

    /**
     * Scalars become Java values (String, Long or BigDecimal, Boolean, null); objects and arrays stay
     * JSON-P values unless they hold binary, in which case they become Map/List with byte[] inside.
     */
    public static Object fromJson(JsonValue v, List<byte[]> attachments) {
        switch (v.getValueType()) {
            case NULL:
                return null;
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case STRING:
                return ((JsonString) v).getString();
            case NUMBER:
                JsonNumber n = (JsonNumber) v;
                if (n.isIntegral()) {
                    try {
                        return n.longValueExact();
                    } catch (ArithmeticException tooBig) {
                        return n.bigDecimalValue();
                    }
                }
                return n.bigDecimalValue();
            case OBJECT:
                if (!attachments.isEmpty() && Placeholders.isPlaceholder(v)) {
                    return attachments.get(Placeholders.indexOf(v));
                }
                return attachments.isEmpty() || !containsBinary(v) ? v : toJava(v, attachments);
            case ARRAY:
            default:
                return attachments.isEmpty() || !containsBinary(v) ? v : toJava(v, attachments);
        }
    }

    private static boolean containsBinary(JsonValue v) {
        if (v instanceof JsonObject o) {
            if (Placeholders.isPlaceholder(o)) {
                return true;
            }
            for (JsonValue c : o.values()) {
                if (containsBinary(c)) {
                    return true;
                }
            }
        } else if (v instanceof JsonArray a) {
            for (JsonValue c : a) {
                if (containsBinary(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Object toJava(JsonValue v, List<byte[]> attachments) {
        if (v instanceof JsonObject o) {
            if (Placeholders.isPlaceholder(o)) {
                return attachments.get(Placeholders.indexOf(o));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            o.forEach((k, c) -> m.put(k, toJava(c, attachments)));
            return m;
        }
        if (v instanceof JsonArray a) {
            List<Object> l = new ArrayList<>(a.size());
            for (JsonValue c : a) {
                l.add(toJava(c, attachments));
            }
            return l;
        }
        return fromJson(v, attachments);
    }
}
