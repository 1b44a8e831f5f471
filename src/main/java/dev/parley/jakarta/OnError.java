package dev.parley.jakarta;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called when an {@link OnEvent} method failed: it threw (the exception as thrown), or an argument
 * of the event could not be converted to its parameter type (an {@link EventArgumentException},
 * after the client was answered; the method was not called). Also told of exceptions thrown by
 * {@link OnConnect} and {@link OnDisconnect} methods. Parameters: any of {@code Socket}, a
 * {@code Throwable} type (null when the failure is not of that type); returns void. Without one,
 * exceptions thrown by methods are logged as warnings with their stack trace.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnError {
}
