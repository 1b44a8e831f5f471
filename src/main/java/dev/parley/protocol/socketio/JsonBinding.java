package dev.parley.protocol.socketio;

import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import java.io.StringReader;
import java.lang.reflect.Type;
import java.util.ServiceConfigurationError;

/**
 * Parley's one JSON-B ({@code jakarta.json.bind}) instance, and the conversions between application
 * objects (records, JavaBeans, anything JSON-B maps) and JSON-P values that go through it.
 *
 * <p>The {@link Jsonb} is made with {@code JsonbBuilder.create()} (default configuration) on first
 * use, once, and shared: it is thread-safe. Until then nothing of JSON-B is loaded, so Parley and its
 * Java client run without the JSON-B API on the class path as long as no object needs it; only a
 * call that does fails, with an {@link IllegalStateException} naming what is missing. A failed
 * attempt is not remembered: the next call tries again.
 *
 * <p>JSON-B's text is turned into JSON-P values with {@link Jsonp#PROVIDER}.
 */
public final class JsonBinding {

    /** What {@link PayloadValues} converts itself; anything else comes here. */
    static final String DIRECT_TYPES =
            "JsonValue, String, Number, Boolean, byte[], ByteBuffer, Map, Collection and arrays";

    private static final String HOW_TO_ADD = "(add org.eclipse:yasson, or a Jakarta EE container provides one)";

    private static final Object LOCK = new Object();

    /**
     * The shared {@link Jsonb}, typed Object: a field of type Jsonb would not load JSON-B by itself
     * either, but this keeps every JSON-B reference inside the methods that need it.
     */
    private static volatile Object instance;

    private JsonBinding() {
    }

    /**
     * The shared JSON-B instance, created on the first call (later calls return the same one).
     *
     * @throws IllegalStateException when JSON-B cannot be used: the API classes are not on the class
     *         path, or no implementation is found; the message says which and how to add one, the cause
     *         is the original error
     */
    public static Jsonb jsonb() {
        Object j = instance;
        if (j == null) {
            synchronized (LOCK) {
                j = instance;
                if (j == null) {
                    j = create();
                    instance = j;
                }
            }
        }
        return (Jsonb) j;
    }

    /**
     * {@code value} serialized by JSON-B, as a JSON-P value (an object for a record or a bean; a
     * string, number, array or null for what JSON-B writes so). Fields that are {@code byte[]}
     * follow JSON-B's binary strategy (an array of numbers by default); they do not become
     * Socket.IO binary attachments.
     *
     * @throws IllegalStateException when JSON-B is not available ({@link #jsonb()})
     * @throws IllegalArgumentException when JSON-B fails on the value: the message names its class
     *         and JSON-B's reason
     */
    public static JsonValue toJsonValue(Object value) {
        String type = value == null ? "null" : value.getClass().getName();
        Jsonb jsonb;
        try {
            jsonb = jsonb();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot send a " + type + ": objects other than " + DIRECT_TYPES
                    + " are converted with JSON-B, and " + e.getMessage(), e.getCause());
        }
        String text;
        try {
            text = jsonb.toJson(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot send a " + type + ": JSON-B could not serialize it: "
                    + ValueConversion.reason(e), e);
        }
        try (JsonReader reader = Jsonp.PROVIDER.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    /**
     * {@code json} deserialized by JSON-B into {@code type} (a class, or a generic type such as
     * {@code List<Order>}).
     *
     * @throws IllegalStateException when JSON-B is not available ({@link #jsonb()})
     * @throws IllegalArgumentException when JSON-B cannot map the JSON to the type: the message is
     *         JSON-B's reason ({@link ValueConversion#reason}), the cause JSON-B's exception
     */
    @SuppressWarnings("unchecked")
    public static <T> T fromJsonValue(JsonValue json, Type type) {
        Jsonb jsonb;
        try {
            jsonb = jsonb();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot read a " + type.getTypeName() + ": types other than "
                    + "JsonValue, String, numbers, Boolean and byte[] are read with JSON-B, and " + e.getMessage(),
                    e.getCause());
        }
        try {
            return (T) jsonb.fromJson(json.toString(), type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(ValueConversion.reason(e), e);
        }
    }

    private static Object create() {
        try {
            return Factory.create();
        } catch (NoClassDefFoundError e) {
            throw unavailable("the JSON-B API (jakarta.json.bind) is not on the class path", e);
        } catch (RuntimeException | LinkageError | ServiceConfigurationError e) {
            throw unavailable(ValueConversion.reason(e), e);
        }
    }

    private static IllegalStateException unavailable(String detail, Throwable cause) {
        return new IllegalStateException("no JSON-B implementation is available: " + detail + " " + HOW_TO_ADD, cause);
    }

    /** Only this class names JsonbBuilder; it is loaded (and may fail to) on the first {@link #jsonb()}. */
    private static final class Factory {
        static Object create() {
            return jakarta.json.bind.JsonbBuilder.create();
        }
    }
}
