package dev.parley.jakarta;

import dev.parley.protocol.socketio.JsonBinding;
import dev.parley.protocol.socketio.ValueConversion;
import dev.parley.protocol.socketio.ValueConversion.Shape;
import jakarta.json.JsonValue;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Converts received event arguments to the parameter types of annotated methods. Classes Parley
 * does not know go through Parley's one JSON-B instance ({@link JsonBinding}); return values need
 * nothing here, since everything emitted goes through {@code PayloadValues}, POJOs included.
 */
final class PayloadConverter {

    private static final List<Class<?>> DIRECT = List.of(Object.class, String.class, Boolean.class, boolean.class,
            Integer.class, int.class, Long.class, long.class, Double.class, double.class, Float.class, float.class,
            Short.class, short.class, Byte.class, byte.class, BigDecimal.class, BigInteger.class, byte[].class);

    /** Whether values of this type are converted without JSON-B. */
    static boolean isDirect(Class<?> type) {
        return DIRECT.contains(type) || JsonValue.class.isAssignableFrom(type);
    }

    /** Fails when JSON-B is needed and not available (Parley's one instance: {@link JsonBinding}). */
    void requireJsonb(String forWhat) {
        try {
            JsonBinding.jsonb();
        } catch (IllegalStateException e) {
            throw new NamespaceDefinitionException(forWhat + " needs JSON-B: " + e.getMessage()
                    + "; or take a JsonObject instead");
        }
    }

    /**
     * The argument as the parameter's type, by Parley's one conversion ({@link ValueConversion}).
     *
     * @param arg         the event's argument as received (see {@link dev.parley.protocol.socketio.Args})
     * @param count       how many arguments the event carried
     * @param at          the argument's index, from 0 ({@code >= count} when it is missing)
     * @param shape       the JSON {@code type} can be read from, as {@link ArgumentTypes#shapeOf} says
     * @throws IllegalArgumentException when it does not fit: its message is the reason, for the
     *                                  client to read; its cause, JSON-B's exception if any
     */
    Object toParameter(Object arg, int count, int at, Class<?> type, Type genericType, Shape shape) {
        if (arg == null && type.isPrimitive() && at >= count) {
            throw new IllegalArgumentException("it is missing (the event has " + count
                    + (count == 1 ? " argument)" : " arguments)"));
        }
        return ValueConversion.convert(arg, type, genericType, shape);
    }
}
