package dev.parley.protocol.socketio;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The binary placeholders of Socket.IO v5: {@code {"_placeholder":true,"num":N}} stands in the JSON
 * for the N-th binary attachment that follows the packet.
 */
public final class Placeholders {

    private Placeholders() {
    }

    public static JsonObject placeholder(int num) {
        return Jsonp.PROVIDER.createObjectBuilder().add("_placeholder", true).add("num", num).build();
    }

    /**
     * Whether the value is a placeholder object whose {@code num} is an integer an {@code int} holds
     * exactly. A larger one (4294967296) is no placeholder: read as an {@code int} it would wrap
     * around to another attachment's index (0), where the reference parser refuses it.
     */
    public static boolean isPlaceholder(JsonValue v) {
        if (!(v instanceof JsonObject o) || o.size() != 2) {
            return false;
        }
        return o.get("_placeholder") == JsonValue.TRUE && o.get("num") instanceof JsonNumber n && n.isIntegral()
                && fitsAnInt(n);
    }

    private static boolean fitsAnInt(JsonNumber n) {
        try {
            n.intValueExact();
            return true;
        } catch (ArithmeticException tooLarge) {
            return false;
        }
    }

    /** The attachment index of a placeholder (see {@link #isPlaceholder}). */
    public static int indexOf(JsonValue placeholder) {
        JsonNumber n = (JsonNumber) ((JsonObject) placeholder).get("num");
        return n.intValue();
    }
}
