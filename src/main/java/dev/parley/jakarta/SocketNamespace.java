package dev.parley.jakarta;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose methods handle a Socket.IO namespace, in the spirit of {@code @ServerEndpoint}:
 * {@code @SocketNamespace("/chat")} for one name, {@code @SocketNamespace(pattern = "/room-\\d+")}
 * for dynamic namespaces. Its methods carry {@link OnConnecting}, {@link OnConnect},
 * {@link OnEvent}, {@link OnDisconnect} and {@link OnError}. In a WAR the class is found at
 * deployment; wrong method signatures fail the deployment with a message naming the method.
 *
 * <p>It is a CDI stereotype of an application-scoped bean: where CDI runs, one instance serves the
 * namespace and may {@code @Inject} the application's services. Without CDI, one instance is
 * made with the public no-argument constructor.
 */
@Stereotype
@ApplicationScoped
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SocketNamespace {

    /** The namespace name, e.g. {@code "/chat"}; {@code "/"} is the main namespace. */
    String value() default "";

    /** A regular expression the whole namespace name must match, for dynamic namespaces. */
    String pattern() default "";
}
