package dev.parley.protocol.socketio;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
        if (type instanceof java.lang.reflect.ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            return (T) convert(i, raw, type);
        }
        throw new IllegalArgumentException("cannot bind to " + type.getTypeName() + ": give a class or a "
                + "parameterized type such as List<Order>");
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
        ValueConversion.Shape shape = readAsObject(type) ? ValueConversion.Shape.OBJECT : ValueConversion.Shape.ANY;
        try {
            return ValueConversion.convert(values.get(i), type, generic, shape);
        } catch (IllegalArgumentException e) {
            String name = generic.getTypeName();
            throw new IllegalArgumentException("argument " + i + " is not " + ("aeiouAEIOU".indexOf(name.charAt(0)) >= 0
                    ? "an " : "a ") + name + ": " + e.getMessage(), e.getCause());
        }
    }

    /**
     * Whether JSON-B reads {@code type} from a JSON object: a record or an application's class without
     * a JSON-B type annotation (which may read it otherwise). Checked first, since JSON-B given a
     * scalar for an object answers "Internal error: null". (Annotated handlers know more: ArgumentTypes.)
     */
    private static boolean readAsObject(Class<?> type) {
        if (type.isRecord()) {
            return true;
        }
        if (type.isPrimitive() || type.isArray() || type.isEnum() || type.isInterface()
                || type.getName().startsWith("java.") || type.getName().startsWith("jakarta.")) {
            return false;
        }
        for (java.lang.annotation.Annotation a : type.getAnnotations()) {
            if (a.annotationType().getName().startsWith("jakarta.json.bind.annotation.JsonbType")) {
                return false;
            }
        }
        return true;
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
