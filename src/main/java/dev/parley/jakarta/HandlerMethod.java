package dev.parley.jakarta;

import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.ValueConversion;
import dev.parley.protocol.socketio.ValueConversion.Shape;
import dev.parley.server.Ack;
import dev.parley.server.DisconnectReason;
import dev.parley.server.Handshake;
import dev.parley.server.Socket;
import jakarta.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One annotated method, checked once when its class is registered: each parameter gets a binding
 * from what a call offers (the socket, the ack, the event's arguments...), and a parameter taking
 * an event argument must have a type the argument can be converted to ({@link ArgumentTypes}).
 * {@link #bind} builds the argument array, failing with an {@link EventArgumentException} when an
 * argument does not fit; {@link #call} runs the method and unwraps its own exception.
 */
final class HandlerMethod {

    /** What a parameter is bound to. */
    enum Kind { SOCKET, HANDSHAKE, ACK, ARGS, AUTH, REASON, THROWABLE, PAYLOAD }

    /** What one call offers to bind; {@code event} names the event for {@link EventArgumentException}. */
    record Call(Socket socket, String event, Args args, Ack ack, JsonObject auth, DisconnectReason reason,
                Throwable error) {
    }

    private final Method method;
    // Copies: Method hands out a new array on every call, and invoke runs per event.
    private final Class<?>[] types;
    private final Type[] genericTypes;
    private final Kind[] kinds;
    private final int[] payloadIndex;
    private final Shape[] shapes;
    private final PayloadConverter converter;

    private HandlerMethod(Method method, Kind[] kinds, int[] payloadIndex, PayloadConverter converter) {
        this.method = method;
        this.types = method.getParameterTypes();
        this.genericTypes = method.getGenericParameterTypes();
        this.kinds = kinds;
        this.payloadIndex = payloadIndex;
        this.shapes = new Shape[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            shapes[i] = kinds[i] == Kind.PAYLOAD ? ArgumentTypes.shapeOf(genericTypes[i]) : null;
        }
        this.converter = converter;
    }

    /**
     * Checks a method against what its annotation allows.
     *
     * @param allowed       the bindings its annotation offers
     * @param returnAllowed whether it may return a value (only {@code @OnEvent})
     */
    static HandlerMethod of(Method method, String annotation, Set<Kind> allowed, boolean returnAllowed,
                            PayloadConverter converter) {
        String where = "@" + annotation + " method " + method.getDeclaringClass().getName() + "." + method.getName();
        if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
            throw new NamespaceDefinitionException(where + " must be public and not static");
        }
        if (!returnAllowed && method.getReturnType() != void.class) {
            throw new NamespaceDefinitionException(where + " must return void, not " + method.getReturnType().getName());
        }
        Parameter[] params = method.getParameters();
        Kind[] kinds = new Kind[params.length];
        int[] payloadIndex = new int[params.length];
        int payloads = 0;
        for (int i = 0; i < params.length; i++) {
            Kind k = kindOf(params[i].getType(), allowed);
            if (k == null) {
                throw new NamespaceDefinitionException(where + ": " + label(params[i], i) + " of type "
                        + params[i].getType().getName() + " cannot be bound here (it may take "
                        + describe(allowed) + ")");
            }
            if (k == Kind.PAYLOAD) {
                // Here rather than at the first event: a type no argument can ever be converted to
                // fails the deployment, with the reason, instead of every event at run time.
                ArgumentTypes.Refusal refusal = ArgumentTypes.check(params[i].getParameterizedType());
                if (refusal != null) {
                    throw new NamespaceDefinitionException(where + ": " + label(params[i], i) + " of type "
                            + params[i].getParameterizedType().getTypeName() + " cannot take an event argument: "
                            + refusal.reason() + " (" + refusal.hint() + ")");
                }
                if (!PayloadConverter.isDirect(params[i].getType())) {
                    converter.requireJsonb(where + ": " + label(params[i], i) + " of type "
                            + params[i].getParameterizedType().getTypeName());
                }
            }
            kinds[i] = k;
            payloadIndex[i] = k == Kind.PAYLOAD ? payloads++ : -1;
        }
        if (returnAllowed && method.getReturnType() != void.class && Arrays.asList(kinds).contains(Kind.ACK)) {
            throw new NamespaceDefinitionException(where + " both takes an Ack and returns a value: use one of them");
        }
        if (returnAllowed && method.getReturnType() != void.class
                && !PayloadConverter.isDirect(method.getReturnType()) && !isEmittable(method.getReturnType())) {
            converter.requireJsonb(where + ": its return type " + method.getReturnType().getName());
        }
        return new HandlerMethod(method, kinds, payloadIndex, converter);
    }

    /** "parameter 2 (request)", or "parameter 2" when the class was compiled without -parameters. */
    private static String label(Parameter p, int index) {
        return "parameter " + (index + 1) + (p.isNamePresent() ? " (" + p.getName() + ")" : "");
    }

    private static boolean isEmittable(Class<?> t) {
        return Map.class.isAssignableFrom(t) || Collection.class.isAssignableFrom(t) || t.isArray()
                || t == ByteBuffer.class || Number.class.isAssignableFrom(t);
    }

    private static Kind kindOf(Class<?> t, Set<Kind> allowed) {
        Kind k;
        if (t == Socket.class) {
            k = Kind.SOCKET;
        } else if (t == Handshake.class) {
            k = Kind.HANDSHAKE;
        } else if (t == Ack.class) {
            k = Kind.ACK;
        } else if (t == Args.class) {
            k = Kind.ARGS;
        } else if (t == DisconnectReason.class) {
            k = Kind.REASON;
        } else if (Throwable.class.isAssignableFrom(t)) {
            k = Kind.THROWABLE;
        } else if (t == JsonObject.class && allowed.contains(Kind.AUTH)) {
            k = Kind.AUTH;
        } else {
            k = Kind.PAYLOAD;
        }
        return allowed.contains(k) ? k : null;
    }

    private static String describe(Set<Kind> allowed) {
        List<String> names = new ArrayList<>();
        for (Kind k : allowed) {
            names.add(switch (k) {
                case SOCKET -> "Socket";
                case HANDSHAKE -> "Handshake";
                case ACK -> "Ack";
                case ARGS -> "Args";
                case AUTH -> "JsonObject (the auth payload)";
                case REASON -> "DisconnectReason";
                case THROWABLE -> "a Throwable";
                case PAYLOAD -> "event arguments";
            });
        }
        return String.join(", ", names);
    }

    Method method() {
        return method;
    }

    boolean returnsValue() {
        return method.getReturnType() != void.class;
    }

    /** Binds and calls the method; see {@link #bind} and {@link #call}. */
    Object invoke(Object instance, Call call) throws Exception {
        return call(instance, bind(call));
    }

    /**
     * The method's arguments for this call.
     *
     * @throws EventArgumentException when an event argument does not fit its parameter
     */
    Object[] bind(Call call) {
        Object[] values = new Object[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            values[i] = switch (kinds[i]) {
                case SOCKET -> call.socket();
                case HANDSHAKE -> call.socket().handshake();
                case ACK -> call.ack();
                case ARGS -> call.args();
                case AUTH -> call.auth();
                case REASON -> call.reason();
                case THROWABLE -> types[i].isInstance(call.error()) ? call.error() : null;
                case PAYLOAD -> {
                    int at = payloadIndex[i];
                    int count = call.args() == null ? 0 : call.args().size();
                    Object arg = at < count ? call.args().get(at) : null;
                    try {
                        yield converter.toParameter(arg, count, at, types[i], genericTypes[i], shapes[i]);
                    } catch (IllegalArgumentException e) {
                        // The converter's message is the reason; its cause, JSON-B's exception if any.
                        String reason = e.getMessage() != null ? e.getMessage() : ValueConversion.reason(e);
                        throw new EventArgumentException(call.event(), at + 1, genericTypes[i], reason, e.getCause());
                    } catch (RuntimeException e) {
                        throw new EventArgumentException(call.event(), at + 1, genericTypes[i],
                                ValueConversion.reason(e), e);
                    }
                }
            };
        }
        return values;
    }

    /** Calls the method with bound arguments; the method's own exception is thrown as is. */
    Object call(Object instance, Object[] values) throws Exception {
        try {
            return method.invoke(instance, values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }
}
