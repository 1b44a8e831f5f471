package dev.parley.protocol.socketio;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The arguments of a received event or acknowledgement, in order. Each element is: {@code null},
 * a {@link String}, a {@link Long} (integral numbers that fit) or {@link BigDecimal}, a
 * {@link Boolean}, a {@code byte[]} (a binary attachment), a {@link JsonObject} or {@link JsonArray},
 * or, for an object or array that holds binaries, a {@code Map<String,Object>} or
 * {@code List<Object>} with {@code byte[]} inside.
 *
 * <p>{@link #get(int)} gives the element as it is; {@link #get(int, Class)} and
 * {@link #get(int, Type)} convert it to the type the application wants: a record or a JavaBean
 * (or a {@code List<Order>}...) is bound with JSON-B (see {@link JsonBinding}), the mirror of how
 * {@code emit} sends such objects. For example {@code Order o = args.get(0, Order.class)}.
 * Immutable and thread-safe.
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

    /**
     * The element converted to {@code type}:
     * <ul>
     * <li>{@code Object}: the element as it is ({@link #get(int)});</li>
     * <li>{@code String}, {@code Boolean}/{@code boolean}: the element when it is one;</li>
     * <li>{@code Long}, {@code Integer}, {@code Short}, {@code Byte}, {@code Double}, {@code Float},
     * {@code BigDecimal}, {@code BigInteger}, {@code Number} and the primitives (boxed): a number
     * element, when it fits exactly (integral types);</li>
     * <li>{@code byte[]} and {@code ByteBuffer}: a binary element;</li>
     * <li>{@link JsonValue} and its subtypes: the element as JSON, when it is of that kind;</li>
     * <li>anything else (records, JavaBeans, enums, {@code Map}, {@code List}, {@code java.time}
     * types...): the element as JSON, bound by JSON-B. An object or array that holds binaries is
     * returned as is when it is an instance of the type ({@code Map}, {@code List}), else refused.</li>
     * </ul>
     * A {@code null} element gives {@code null} ({@link JsonValue#NULL} for {@code JsonValue}), and
     * is refused for a primitive type.
     *
     * @throws IllegalArgumentException when the element does not fit the type; the message names
     *         the argument, the type and the reason (JSON-B's, when it failed)
     * @throws IllegalStateException when the type needs JSON-B and no implementation is available
     * @throws IndexOutOfBoundsException when there is no argument {@code i}
     */
    @SuppressWarnings("unchecked")
    public <T> T get(int i, Class<T> type) {
        return (T) convert(i, type, type);
    }

    /**
     * The element converted to a generic type such as {@code List<Order>} or
     * {@code Map<String, Order>} (build one with a {@code ParameterizedType}, or take it from a
     * field or method signature); a plain {@link Class} behaves as {@link #get(int, Class)}. Other
     * types are bound by JSON-B.
     *
     * @throws IllegalArgumentException when the element does not fit the type
     * @throws IllegalStateException when no JSON-B implementation is available
     */
    @SuppressWarnings("unchecked")
    public <T> T get(int i, Type type) {
        if (type instanceof Class<?> c) {
            return (T) convert(i, c, c);
        }
        return (T) bind(i, values.get(i), type);
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

    private Object convert(int i, Class<?> type, Type generic) {
        Object v = values.get(i);
        if (type == Object.class) {
            return v;
        }
        if (v == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException("argument " + i + " is null, which a " + type + " cannot hold");
            }
            return type.isInstance(JsonValue.NULL) ? JsonValue.NULL : null;
        }
        Class<?> boxed = box(type);
        if (boxed == String.class || boxed == Boolean.class || boxed == byte[].class) {
            if (boxed.isInstance(v)) {
                return v;
            }
            throw mismatch(i, v, type);
        }
        if (type == ByteBuffer.class) {
            if (v instanceof byte[] b) {
                return ByteBuffer.wrap(b);
            }
            throw mismatch(i, v, type);
        }
        if (boxed == Long.class || boxed == Integer.class || boxed == Double.class || boxed == BigDecimal.class
                || boxed == Short.class || boxed == Byte.class || boxed == Float.class || boxed == BigInteger.class
                || boxed == Number.class) {
            if (v instanceof Number n) {
                return number(i, n, boxed);
            }
            throw mismatch(i, v, type);
        }
        if (JsonValue.class.isAssignableFrom(type)) {
            JsonValue json = json(i, v);
            if (type.isInstance(json)) {
                return json;
            }
            throw mismatch(i, v, type);
        }
        if ((v instanceof Map || v instanceof List) && type.isInstance(v)) {
            return v; // holds binaries (JSON-P values come as JsonObject/JsonArray, which are not these)
        }
        return bind(i, v, generic);
    }

    private Object bind(int i, Object v, Type type) {
        JsonValue json = json(i, v);
        try {
            return JsonBinding.fromJsonValue(json, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("argument " + i + ": " + e.getMessage(), e);
        }
    }

    private static JsonValue json(int i, Object v) {
        if (v instanceof JsonValue j) {
            return j;
        }
        List<byte[]> binaries = new ArrayList<>(0);
        JsonValue json = PayloadValues.toJson(v, binaries);
        if (!binaries.isEmpty()) {
            throw new IllegalArgumentException("argument " + i + " holds binary data, which JSON cannot represent");
        }
        return json;
    }

    private static Object number(int i, Number n, Class<?> boxed) {
        if (boxed == Number.class || boxed.isInstance(n)) {
            return n;
        }
        BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
        try {
            if (boxed == Long.class) {
                return d.longValueExact();
            }
            if (boxed == Integer.class) {
                return d.intValueExact();
            }
            if (boxed == Short.class) {
                return d.shortValueExact();
            }
            if (boxed == Byte.class) {
                return d.byteValueExact();
            }
            if (boxed == BigInteger.class) {
                return d.toBigIntegerExact();
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("argument " + i + " is " + n + ", which does not fit a "
                    + boxed.getSimpleName());
        }
        if (boxed == Double.class) {
            return d.doubleValue();
        }
        if (boxed == Float.class) {
            return d.floatValue();
        }
        return d;
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        if (t == int.class) {
            return Integer.class;
        }
        if (t == long.class) {
            return Long.class;
        }
        if (t == double.class) {
            return Double.class;
        }
        if (t == boolean.class) {
            return Boolean.class;
        }
        if (t == float.class) {
            return Float.class;
        }
        if (t == short.class) {
            return Short.class;
        }
        if (t == byte.class) {
            return Byte.class;
        }
        return t; // char: JSON-B reads it from a one-character string
    }

    private static IllegalArgumentException mismatch(int i, Object v, Class<?> type) {
        String what = v instanceof JsonObject ? "an object" : v instanceof JsonArray ? "an array"
                : v instanceof byte[] ? "binary data" : v instanceof Map ? "an object with binary data"
                : v instanceof List ? "an array with binary data" : v.getClass().getSimpleName() + " " + v;
        return new IllegalArgumentException("argument " + i + " is " + what + ", not a " + type.getSimpleName());
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
