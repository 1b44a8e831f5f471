package dev.parley.jakarta;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles one event. Parameters bound by type: {@code Socket}, {@code Handshake}, {@code Ack},
 * {@code Args} (all arguments); every other parameter takes the next event argument in order,
 * converted to its type: {@code JsonValue}/{@code JsonObject}/{@code JsonArray}/{@code JsonString}/
 * {@code JsonNumber}, {@code String}, numbers, {@code boolean}, {@code byte[]} (a binary
 * attachment), {@code Object} (as received), or, through JSON-B, an enum, a record, a public class
 * JSON-B can create (a public or protected no-argument constructor, or one public
 * {@code @JsonbCreator}), a collection, map, array or {@code Optional} of those, a {@code java.time}
 * type, {@code UUID}, {@code URI}..., or a type annotated {@code @JsonbTypeInfo},
 * {@code @JsonbTypeDeserializer} or {@code @JsonbTypeAdapter}.
 * <p>
 * Registration refuses (a {@link NamespaceDefinitionException}, failing the deployment) a parameter
 * no argument could ever be converted to: a container or framework object (servlet request, CDI,
 * JAX-RS, streams, threads...: inject services into the class instead), an interface or abstract
 * class JSON-B cannot instantiate, a class without a constructor JSON-B can call, an inner class,
 * and the same in type arguments and array components.
 * <p>
 * An argument that does not fit at run time (another JSON shape, a number out of range, a JSON-B
 * error) skips the method: the client gets {@code {"message", "data": {"event", "status": 400, "argument"}}} in its ack, or as
 * an {@code error} event, and {@link OnError} methods an {@link EventArgumentException}. A missing
 * or null argument is null, an empty {@code Optional}/{@code OptionalInt}... for those types, and
 * an error for a primitive.
 * <p>
 * A non-void return value is sent as the acknowledgement when the client asked for one (then the
 * method takes no {@code Ack}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnEvent {

    /** The event name. */
    String value();
}
