package dev.parley.jakarta;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Namespace middleware: called before a socket joins, in order of method name. Parameters: any of
 * {@code Socket}, {@code Handshake}, {@code JsonObject} (the {@code auth} payload); returns void.
 * Throwing a {@code ConnectError} refuses the socket with its message and data (the client's
 * {@code connect_error}); any other exception refuses it with the exception's message.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnConnecting {
}
