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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The one conversion of a received value (an element of {@link Args}: {@code null}, String,
 * Long/BigDecimal, Boolean, {@code byte[]}, JsonObject/JsonArray, or Map/List holding binaries) to
 * a Java type, used by {@link Args#get(int, Class)} and by the parameters of annotated event
 * handlers. Strings, booleans, numbers (exactly, for integral types), binaries and JSON-P values are
 * converted here; anything else by JSON-B ({@link JsonBinding}), after the JSON's shape was checked
 * against what the type needs ({@link Shape}).
 *
 * <p>A value that does not fit gives an {@link IllegalArgumentException} whose message is the
 * reason in the sender's terms ({@code got the string "two"}, {@code expected a JSON object, got an
 * array}, {@code got the number 3000000000, which is out of range}, or JSON-B's reason), never empty
 * nor "null", echoing at most {@value #MAX_ECHO} characters of what was sent and made safe for one
 * log line; its cause is JSON-B's exception, if any. Stateless and thread-safe.
 */
public final class ValueConversion {

    /** The JSON a type can be read from, checked before JSON-B is asked (Yasson reports a scalar given
     *  for an object as "Internal error: null"). */
    public enum Shape {
        /** Anything; the converter or JSON-B says what does not fit. */
        ANY,
        /** A JSON object (a class read property by property). */
        OBJECT,
        /** A JSON array (a collection or an array). */
        ARRAY,
        /** A JSON object, or an array of {@code {"key":..., "value":...}} entries (a map). */
        OBJECT_OR_ARRAY
    }

    /** How much of a sender's string or number a message repeats. */
    static final int MAX_ECHO = 40;
    /** How long a reason from JSON-B may be: it may quote the sender's JSON. */
    private static final int MAX_REASON = 300;
    private static final String INTERNAL_ERROR = "Internal error:";

    private ValueConversion() {
    }

    /**
     * {@code arg} as {@code type}.
     *
     * @param arg         a received value (see the class comment)
     * @param genericType {@code type} with its type arguments ({@code List<Order>})
     * @param shape       the JSON {@code type} can be read from; {@link Shape#ANY} leaves it to JSON-B
     * @throws IllegalArgumentException when it does not fit (see the class comment)
     * @throws IllegalStateException when the type needs JSON-B and none is available
     */
    public static Object convert(Object arg, Class<?> type, Type genericType, Shape shape) {
        if (type == Object.class) {
            return arg;
        }
        if (arg == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException("got null");
            }
            // Empty rather than null, as JSON-B reads a JSON null into these.
            if (type == Optional.class) {
                return Optional.empty();
            }
            if (type == OptionalInt.class) {
                return OptionalInt.empty();
            }
            if (type == OptionalLong.class) {
                return OptionalLong.empty();
            }
            if (type == OptionalDouble.class) {
                return OptionalDouble.empty();
            }
            return JsonValue.class.isAssignableFrom(type) && type.isAssignableFrom(JsonValue.NULL.getClass())
                    ? JsonValue.NULL : null;
        }
        if (type == String.class) {
            if (arg instanceof String s) {
                return s;
            }
            throw mismatch(arg);
        }
        if (type == boolean.class || type == Boolean.class) {
            if (arg instanceof Boolean b) {
                return b;
            }
            throw mismatch(arg);
        }
        if (type == byte[].class) {
            if (arg instanceof byte[] b) {
                return b;
            }
            throw mismatch(arg);
        }
        if (type == ByteBuffer.class) {
            if (arg instanceof byte[] b) {
                return ByteBuffer.wrap(b);
            }
            throw mismatch(arg);
        }
        if (Number.class.isAssignableFrom(wrap(type))) {
            if (!(arg instanceof Number n)) {
                throw mismatch(arg);
            }
            return number(n, wrap(type));
        }
        if ((arg instanceof Map || arg instanceof List) && !(arg instanceof JsonValue) && type.isInstance(arg)) {
            // an object or array holding binaries, as received; JsonObject/JsonArray (which are a Map
            // and a List too) go on to JSON-B, so that a Map<String, Integer> gets Integers
            return arg;
        }
        JsonValue json = json(arg);
        if (JsonValue.class.isAssignableFrom(type)) {
            if (!type.isInstance(json)) {
                throw mismatch(arg);
            }
            return json;
        }
        // Yasson answers a scalar where it expects an object or array with "Internal error: null".
        boolean fits = switch (shape) {
            case ANY -> true;
            case OBJECT -> json instanceof JsonObject;
            case ARRAY -> json instanceof JsonArray;
            case OBJECT_OR_ARRAY -> json instanceof JsonObject || json instanceof JsonArray;
        };
        if (!fits) {
            String expected = switch (shape) {
                case OBJECT -> "expected a JSON object, ";
                case ARRAY -> "expected a JSON array, ";
                default -> "expected a JSON object or array, ";
            };
            throw new IllegalArgumentException(expected + got(arg));
        }
        return JsonBinding.fromJsonValue(json, genericType);
    }

    /**
     * A readable reason from an exception chain, never empty nor "null": the outermost meaningful
     * message, which for JSON-B names the property and type ("Unable to deserialize property 'quantity'
     * because of: ..."), followed by the innermost one when it adds something (often the value:
     * {@code For input string: "x"}). A message is not meaningful when it is missing, merely wraps
     * its cause's {@code toString()}, or is a wrapper of a missing one ("Internal error: null").
     * Without any, the innermost exception's class. Cleaned for a log line and capped (see {@link #clean}).
     */
    public static String reason(Throwable e) {
        String outer = null;
        String inner = null;
        Throwable last = e;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            last = t;
            String m = meaningful(t);
            if (m != null) {
                if (outer == null) {
                    outer = m;
                }
                inner = m;
            }
        }
        if (outer == null) {
            return last.getClass().getName();
        }
        String reason = outer.contains(inner) ? outer : outer + " (" + inner + ")";
        return clean(reason, MAX_REASON);
    }

    private static String meaningful(Throwable t) {
        String m = t.getMessage();
        if (m == null) {
            return null;
        }
        // Yasson wraps an unexpected exception as "Internal error: " + its message; the prefix tells
        // the client nothing.
        if (m.startsWith(INTERNAL_ERROR)) {
            m = m.substring(INTERNAL_ERROR.length());
        }
        m = m.strip();
        if (m.isEmpty() || m.equals("null") || m.endsWith(": null")
                || (t.getCause() != null && m.equals(t.getCause().toString()))) {
            return null;
        }
        return m;
    }

    /**
     * Text that may echo what a client sent, made safe for one log line: control characters and
     * line separators escaped (a backslash, u, four hex digits), cut at {@code max} characters with
     * an ellipsis.
     */
    public static String clean(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (b.length() >= max) {
                b.append('\u2026');
                break;
            }
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code s} in double quotes, with quotes and backslashes escaped, {@linkplain #clean cleaned}. */
    public static String quote(String s, int max) {
        return "\"" + clean(s.replace("\\", "\\\\").replace("\"", "\\\""), max) + "\"";
    }

    private static JsonValue json(Object arg) {
        List<byte[]> binaries = new ArrayList<>(0);
        JsonValue json = PayloadValues.toJson(arg, binaries);
        if (!binaries.isEmpty()) {
            throw new IllegalArgumentException("binary data cannot be bound to a JSON type; take byte[] or Object");
        }
        return json;
    }

    private static Object number(Number n, Class<?> boxed) {
        if (boxed == Number.class || boxed.isInstance(n)) {
            return n;
        }
        BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
        try {
            if (boxed == Integer.class) {
                return d.intValueExact();
            }
            if (boxed == Long.class) {
                return d.longValueExact();
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
            boolean whole = d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
            throw new IllegalArgumentException(got(n) + (whole ? ", which is out of range" : ", which is not a whole number"));
        }
        if (boxed == Double.class) {
            double v = d.doubleValue();
            if (Double.isInfinite(v)) {
                throw new IllegalArgumentException(got(n) + ", which is out of range");
            }
            return v;
        }
        if (boxed == Float.class) {
            float v = d.floatValue();
            if (Float.isInfinite(v)) {
                throw new IllegalArgumentException(got(n) + ", which is out of range");
            }
            return v;
        }
        return d;
    }

    private static Class<?> wrap(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return switch (t.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "double" -> Double.class;
            case "float" -> Float.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "boolean" -> Boolean.class;
            default -> t;
        };
    }

    private static IllegalArgumentException mismatch(Object arg) {
        return new IllegalArgumentException(got(arg));
    }

    /** What the client sent, in JSON's words ("got the string \"two\"", "got an object"). */
    static String got(Object arg) {
        if (arg == null) {
            return "got null";
        }
        if (arg instanceof String s) {
            return "got the string " + quote(s, MAX_ECHO);
        }
        if (arg instanceof Boolean b) {
            return "got " + b;
        }
        if (arg instanceof Number n) {
            return "got the number " + clean(n.toString(), MAX_ECHO);
        }
        if (arg instanceof byte[]) {
            return "got binary data";
        }
        if (arg instanceof JsonObject || arg instanceof Map) {
            return "got an object";
        }
        if (arg instanceof JsonArray || arg instanceof List) {
            return "got an array";
        }
        return "got a " + arg.getClass().getSimpleName();
    }
}
