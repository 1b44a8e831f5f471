package dev.parley.jakarta;

import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.PayloadValues;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Converts received event arguments to the parameter types of annotated methods, and return
 * values to something {@code emit} accepts. Classes Parley does not know go through JSON-B, made
 * on first use (one instance, thread-safe).
 */
final class PayloadConverter {

    private static final List<Class<?>> DIRECT = List.of(Object.class, String.class, Boolean.class, boolean.class,
            Integer.class, int.class, Long.class, long.class, Double.class, double.class, Float.class, float.class,
            Short.class, short.class, Byte.class, byte.class, BigDecimal.class, BigInteger.class, byte[].class);

    private volatile Jsonb jsonb;

    /** Whether values of this type are converted without JSON-B. */
    static boolean isDirect(Class<?> type) {
        return DIRECT.contains(type) || JsonValue.class.isAssignableFrom(type);
    }

    /** Fails when JSON-B is needed and no implementation is present. */
    void requireJsonb(String forWhat) {
        try {
            jsonb();
        } catch (RuntimeException | LinkageError e) {
            throw new NamespaceDefinitionException(forWhat + " needs JSON-B, but no implementation is available ("
                    + e + "); add one (e.g. Yasson) or take a JsonObject instead");
        }
    }

    private Jsonb jsonb() {
        Jsonb j = jsonb;
        if (j == null) {
            synchronized (this) {
                if (jsonb == null) {
                    jsonb = JsonbBuilder.create();
                }
                j = jsonb;
            }
        }
        return j;
    }

    /** The argument as the parameter's type; IllegalArgumentException when it does not fit. */
    Object toParameter(Object arg, Class<?> type, Type genericType) {
        if (type == Object.class) {
            return arg;
        }
        if (arg == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException("a " + type + " argument is missing or null");
            }
            return JsonValue.class.isAssignableFrom(type) && type.isAssignableFrom(JsonValue.NULL.getClass())
                    ? JsonValue.NULL : null;
        }
        if (type == String.class) {
            if (arg instanceof String s) {
                return s;
            }
            throw mismatch(arg, type);
        }
        if (type == boolean.class || type == Boolean.class) {
            if (arg instanceof Boolean b) {
                return b;
            }
            throw mismatch(arg, type);
        }
        if (type == byte[].class) {
            if (arg instanceof byte[] b) {
                return b;
            }
            throw mismatch(arg, type);
        }
        if (Number.class.isAssignableFrom(wrap(type))) {
            if (!(arg instanceof Number n)) {
                throw mismatch(arg, type);
            }
            return number(n, wrap(type));
        }
        JsonValue json = json(arg);
        if (JsonValue.class.isAssignableFrom(type)) {
            if (!type.isInstance(json)) {
                throw mismatch(arg, type);
            }
            return json;
        }
        return jsonb().fromJson(json.toString(), genericType);
    }

    /** A method's return value, ready for {@code ack.send}. */
    Object fromReturn(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof JsonValue || value instanceof byte[] || value instanceof ByteBuffer
                || value instanceof Map || value instanceof Collection || value instanceof Object[]) {
            return value;
        }
        String text = jsonb().toJson(value);
        return Jsonp.PROVIDER.createReader(new StringReader(text)).readValue();
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
            throw new IllegalArgumentException(n + " does not fit a " + boxed.getSimpleName());
        }
        if (boxed == Double.class) {
            return d.doubleValue();
        }
        if (boxed == Float.class) {
            return d.floatValue();
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

    private static IllegalArgumentException mismatch(Object arg, Class<?> type) {
        String what = arg instanceof JsonObject ? "an object" : arg instanceof JsonArray ? "an array"
                : arg instanceof byte[] ? "binary data" : arg.getClass().getSimpleName() + " " + arg;
        return new IllegalArgumentException("expected " + type.getSimpleName() + ", got " + what);
    }
}
