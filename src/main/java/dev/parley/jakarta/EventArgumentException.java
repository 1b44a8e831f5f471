package dev.parley.jakarta;

import dev.parley.protocol.socketio.ValueConversion;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An argument of a received event that could not be converted to the parameter type of the
 * {@link OnEvent} method handling it: a JSON value of the wrong shape, a number out of range, a
 * JSON-B failure. It is the client's mistake, found before the method runs; the method is not
 * called.
 * <p>
 * Parley then, in this order: logs one line at FINE (per-message detail, hidden at the default
 * level) without a stack trace (namespace, socket, method, and this exception's message); answers the client with the object
 * {@code {"message": <message>, "data": {"event": <event>, "status": 400, "argument": <1-based position>}}}
 * (the shape of every refused event), as the single
 * argument of the acknowledgement when the client asked for one, otherwise as the single argument
 * of an {@code error} event sent to that socket; then calls the class's {@link OnError} methods
 * with this exception. Exceptions thrown by the method itself are not wrapped in this type.
 * <p>
 * The message reads {@code argument 1 of event "place" is not a com.example.Order: <reason>}; the
 * reason is never empty (the innermost exception without a message is named by its class), holds
 * no line breaks and is cut to a few hundred characters, since it may echo what the client sent.
 * The cause, when there is one, is the converter's or JSON-B's exception.
 */
public class EventArgumentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String event;
    private final int argument;
    private final transient Type parameterType;
    private final String reason;

    /**
     * @param event         the event's name
     * @param argument      the argument's position among the event's arguments, from 1
     * @param parameterType the declared (generic) type of the parameter it was meant for
     * @param reason        why it does not fit, for the client to read
     * @param cause         the underlying failure, or null
     */
    public EventArgumentException(String event, int argument, Type parameterType, String reason, Throwable cause) {
        super(message(event, argument, parameterType, reason), cause);
        this.event = event;
        this.argument = argument;
        this.parameterType = parameterType;
        this.reason = reason;
    }

    private static String message(String event, int argument, Type type, String reason) {
        String name = type.getTypeName();
        String article = "aeiouAEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ";
        return "argument " + argument + " of event " + ValueConversion.quote(event, 100) + " is not " + article + name
                + ": " + reason;
    }

    /** The name of the event whose argument did not fit. */
    public String event() {
        return event;
    }

    /** The argument's position among the event's arguments, counted from 1 (not the Java parameter's position). */
    public int argument() {
        return argument;
    }

    /** The declared type of the parameter the argument was meant for, with its type arguments. */
    public Type parameterType() {
        return parameterType;
    }

    /** Why the argument does not fit, without the "argument n of event ..." prefix. */
    public String reason() {
        return reason;
    }

    /**
     * What the client receives: {@code {"message": message, "data": {"event": event, "status": 400,
     * "argument": position}}}, the shape of every refused event's {@code error} (see
     * {@code EventRefusedException}) and of socket.io's own {@code connect_error} (message, data).
     */
    Map<String, Object> toClient() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event", event);
        data.put("status", 400);
        data.put("argument", argument);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("message", getMessage());
        payload.put("data", data);
        return payload;
    }

    /**
     * No stack trace: the failure is the client's, found at a known place, and a client sending
     * bad arguments on purpose should cost the server as little as possible.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
