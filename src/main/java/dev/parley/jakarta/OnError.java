package dev.parley.jakarta;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called when an {@link OnEvent} method failed (it threw, or an argument could not be converted).
 * Parameters: any of {@code Socket}, a {@code Throwable} type; returns void. Without one, failures
 * are logged.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnError {
}
