package dev.parley.protocol.socketio;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The arguments of a received event or acknowledgement, in order. Each element is: {@code null},
 * a {@link String}, a {@link Long} (integral numbers that fit) or {@link BigDecimal}, a
 * {@link Boolean}, a {@code byte[]} (a binary attachment), a {@link JsonObject} or {@link JsonArray},
 * or, for an object or array that holds binaries, a {@code Map<String,Object>} or
 * {@code List<Object>} with {@code byte[]} inside. Immutable.
 */
public final class Args {

    private static final Args EMPTY = new Args(List.of());

    private final List<Object> values;

    public Args(List<Object> values) {
        this.values = Collections.unmodifiableList(values);
    }

    public static Args empty() {
        return EMPTY;
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The raw element (see the class comment for its possible types). */
    public Object get(int i) {
        return values.get(i);
    }

    /** All elements, as an array ready to be emitted again. */
    public Object[] toArray() {
        return values.toArray();
    }

    public List<Object> asList() {
        return values;
    }

    /** The element as a string: a string as is, anything else by its JSON text, null as null. */
    public String getString(int i) {
        Object v = values.get(i);
        return v == null ? null : v instanceof String s ? s : v.toString();
    }

    public long getLong(int i) {
        return number(i).longValue();
    }

    public int getInt(int i) {
        return number(i).intValue();
    }

    public double getDouble(int i) {
        return number(i).doubleValue();
    }

    public boolean getBoolean(int i) {
        Object v = values.get(i);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("argument " + i + " is not a boolean: " + v);
    }

    public byte[] getBytes(int i) {
        Object v = values.get(i);
        if (v instanceof byte[] b) {
            return b;
        }
        throw new IllegalArgumentException("argument " + i + " is not binary: " + v);
    }

    public JsonObject getJsonObject(int i) {
        Object v = values.get(i);
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new IllegalArgumentException("argument " + i + " is not a JSON object: " + v);
    }

    public JsonArray getJsonArray(int i) {
        Object v = values.get(i);
        if (v instanceof JsonArray a) {
            return a;
        }
        throw new IllegalArgumentException("argument " + i + " is not a JSON array: " + v);
    }

    /** The element as a JSON-P value (binary elements are refused). */
    public JsonValue getJson(int i) {
        List<byte[]> binaries = new ArrayList<>(0);
        JsonValue json = PayloadValues.toJson(values.get(i), binaries);
        if (!binaries.isEmpty()) {
            throw new IllegalArgumentException("argument " + i + " holds binary data, which JSON cannot represent");
        }
        return json;
    }

    private Number number(int i) {
        Object v = values.get(i);
        if (v instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("argument " + i + " is not a number: " + v);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
