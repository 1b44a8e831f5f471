package dev.parley.jakarta;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles one event. Parameters bound by type: {@code Socket}, {@code Ack}, {@code Args} (all
 * arguments); every other parameter takes the next event argument in order, converted to its type:
 * {@code JsonValue}/{@code JsonObject}/{@code JsonArray}, {@code String}, numbers, {@code boolean},
 * {@code byte[]}, {@code Object} (as received) or any class through JSON-B. A non-void return value
 * is sent as the acknowledgement when the client asked for one (then the method takes no
 * {@code Ack}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnEvent {

    /** The event name. */
    String value();
}
