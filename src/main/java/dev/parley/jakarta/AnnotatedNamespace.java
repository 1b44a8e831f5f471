package dev.parley.jakarta;

import dev.parley.jakarta.HandlerMethod.Call;
import dev.parley.jakarta.HandlerMethod.Kind;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.Ack;
import dev.parley.server.Authorize;
import dev.parley.server.DisconnectReason;
import dev.parley.server.Middleware;
import dev.parley.server.Namespace;
import dev.parley.server.ParentNamespace;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A class annotated with {@link SocketNamespace}, checked and bound to a {@link ParleyServer}.
 * {@link #of} checks every annotated method at once, so a wrong signature fails registration (the
 * deployment) rather than the first message; {@link #register} installs the handlers, which get the
 * instance from a supplier on first use (so a CDI container may start after registration). An
 * event argument that does not fit its parameter at run time is answered to the client and handed
 * to {@code @OnError} methods as an {@link EventArgumentException}.
 * {@code @RolesAllowed} on the class limits who may join the namespace; on an {@code @OnEvent}
 * method, who may send that event (checked against {@link Socket#principal()}).
 */
public final class AnnotatedNamespace {

    private static final Logger LOG = Logger.getLogger(AnnotatedNamespace.class.getName());

    /**
     * The event a client receives when an argument of an event it sent without an ack did not fit
     * (not a reserved name in Socket.IO v4; the same one {@code EventRefusedException} uses).
     */
    static final String EVENT_ARGUMENT_ERROR = "error";

    private final Class<?> type;
    private final String name;
    private final Pattern pattern;
    private final List<HandlerMethod> connecting = new ArrayList<>();
    private final List<HandlerMethod> connect = new ArrayList<>();
    private final Map<String, List<HandlerMethod>> events = new LinkedHashMap<>();
    /** Roles of {@code @RolesAllowed} on event handlers, per event (a union when several handle it). */
    private final Map<String, Set<String>> eventRoles = new LinkedHashMap<>();
    /** Roles of {@code @RolesAllowed} on the class: needed to join the namespace at all. */
    private final Set<String> namespaceRoles = new LinkedHashSet<>();
    private final List<HandlerMethod> disconnect = new ArrayList<>();
    private final List<HandlerMethod> error = new ArrayList<>();
    private final PayloadConverter converter = new PayloadConverter();

    private AnnotatedNamespace(Class<?> type, String name, Pattern pattern) {
        this.type = type;
        this.name = name;
        this.pattern = pattern;
    }

    /** Checks a class; {@link NamespaceDefinitionException} names what is wrong. */
    public static AnnotatedNamespace of(Class<?> type) {
        SocketNamespace ann = type.getAnnotation(SocketNamespace.class);
        if (ann == null) {
            throw new NamespaceDefinitionException(type.getName() + " is not annotated with @SocketNamespace");
        }
        boolean hasName = !ann.value().isEmpty();
        boolean hasPattern = !ann.pattern().isEmpty();
        if (hasName == hasPattern) {
            throw new NamespaceDefinitionException("@SocketNamespace on " + type.getName()
                    + " needs exactly one of value (a name such as \"/chat\") and pattern");
        }
        Pattern pattern = null;
        if (hasPattern) {
            try {
                pattern = Pattern.compile(ann.pattern());
            } catch (PatternSyntaxException e) {
                throw new NamespaceDefinitionException("@SocketNamespace on " + type.getName() + ": invalid pattern: "
                        + e.getDescription());
            }
        }
        String name = hasName ? (ann.value().startsWith("/") ? ann.value() : "/" + ann.value()) : null;
        AnnotatedNamespace ns = new AnnotatedNamespace(type, name, pattern);
        RolesAllowed namespaceRoles = type.getAnnotation(RolesAllowed.class);
        if (namespaceRoles != null) {
            ns.namespaceRoles.addAll(List.of(namespaceRoles.value()));
        }
        // Reflection's public methods would silently skip a private handler: refuse it instead.
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) && (m.isAnnotationPresent(OnConnecting.class)
                        || m.isAnnotationPresent(OnConnect.class) || m.isAnnotationPresent(OnEvent.class)
                        || m.isAnnotationPresent(OnDisconnect.class) || m.isAnnotationPresent(OnError.class))) {
                    throw new NamespaceDefinitionException("annotated method " + c.getName() + "." + m.getName()
                            + " must be public");
                }
            }
        }
        PayloadConverter converter = ns.converter;
        Method[] methods = type.getMethods();
        // Declaration order is not guaranteed by reflection; sort by name for a stable middleware order.
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.isAnnotationPresent(OnConnecting.class)) {
                ns.connecting.add(HandlerMethod.of(m, "OnConnecting",
                        EnumSet.of(Kind.SOCKET, Kind.HANDSHAKE, Kind.AUTH), false, converter));
            }
            if (m.isAnnotationPresent(OnConnect.class)) {
                ns.connect.add(HandlerMethod.of(m, "OnConnect", EnumSet.of(Kind.SOCKET, Kind.HANDSHAKE), false,
                        converter));
            }
            OnEvent on = m.getAnnotation(OnEvent.class);
            if (on != null) {
                if (on.value().isEmpty()) {
                    throw new NamespaceDefinitionException("@OnEvent on " + type.getName() + "." + m.getName()
                            + " needs an event name");
                }
                ns.events.computeIfAbsent(on.value(), k -> new ArrayList<>()).add(HandlerMethod.of(m, "OnEvent",
                        EnumSet.of(Kind.SOCKET, Kind.HANDSHAKE, Kind.ACK, Kind.ARGS, Kind.PAYLOAD), true, converter));
                RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
                if (roles != null) {
                    ns.eventRoles.computeIfAbsent(on.value(), k -> new LinkedHashSet<>()).addAll(List.of(roles.value()));
                }
            }
            if (m.isAnnotationPresent(OnDisconnect.class)) {
                ns.disconnect.add(HandlerMethod.of(m, "OnDisconnect", EnumSet.of(Kind.SOCKET, Kind.REASON), false,
                        converter));
            }
            if (m.isAnnotationPresent(OnError.class)) {
                ns.error.add(HandlerMethod.of(m, "OnError", EnumSet.of(Kind.SOCKET, Kind.THROWABLE), false, converter));
            }
        }
        return ns;
    }

    public Class<?> type() {
        return type;
    }

    /** The namespace name, or null for a pattern. */
    public String name() {
        return name;
    }

    /** The pattern of dynamic namespaces, or null for a fixed name. */
    public Pattern pattern() {
        return pattern;
    }

    /** The events it handles. */
    public Set<String> events() {
        return events.keySet();
    }

    /** Installs the handlers on {@code server}; {@code instance} is asked on first use, once. */
    public void register(ParleyServer server, Supplier<Object> instance) {
        Supplier<Object> once = memoize(instance);
        Middleware middleware = (socket, next) -> {
            for (HandlerMethod m : connecting) {
                m.invoke(once.get(), new Call(socket, null, null, null, socket.handshake().auth(), null, null));
            }
            next.proceed();
        };
        Consumer<Socket> onConnection = socket -> connected(socket, once);
        Middleware roleCheck = namespaceRoles.isEmpty() ? null : Authorize.roles(namespaceRoles.toArray(String[]::new));
        if (pattern != null) {
            ParentNamespace parent = server.of(pattern);
            if (roleCheck != null) {
                parent.use(roleCheck);
            }
            if (!connecting.isEmpty()) {
                parent.use(middleware);
            }
            parent.onConnection(onConnection);
        } else {
            Namespace nsp = server.of(name);
            if (roleCheck != null) {
                nsp.use(roleCheck);
            }
            if (!connecting.isEmpty()) {
                nsp.use(middleware);
            }
            nsp.onConnection(onConnection);
        }
    }

    private void connected(Socket socket, Supplier<Object> instance) {
        if (!eventRoles.isEmpty()) {
            socket.use(Authorize.events(socket, eventRoles));
        }
        for (Map.Entry<String, List<HandlerMethod>> e : events.entrySet()) {
            for (HandlerMethod m : e.getValue()) {
                String event = e.getKey();
                socket.on(event, (args, ack) -> onEvent(event, m, instance, socket, args, ack));
            }
        }
        socket.onDisconnect((reason, description) -> {
            for (HandlerMethod m : disconnect) {
                call(m, instance, new Call(socket, null, null, null, null, reason, null));
            }
        });
        for (HandlerMethod m : connect) {
            call(m, instance, new Call(socket, null, null, null, null, null, null));
        }
    }

    private void onEvent(String event, HandlerMethod m, Supplier<Object> instance, Socket socket, Args args, Ack ack) {
        Object[] values;
        try {
            values = m.bind(new Call(socket, event, args, ack, null, null, null));
        } catch (EventArgumentException bad) {
            rejected(instance, socket, bad, ack, m);
            return;
        }
        try {
            Object result = m.call(instance.get(), values);
            if (m.returnsValue() && ack.requested()) {
                ack.send(result); // POJOs go out through JSON-B, like every emitted value
            }
        } catch (Exception e) {
            failed(instance, socket, e, m);
        }
    }

    /**
     * An argument did not fit (see {@link EventArgumentException} for the contract): logged at FINE as
     * one line without a stack trace (a client can send as many bad arguments as it likes, and nothing
     * per message is logged at the default level; the client itself is told), and answered so that the
     * client learns why nothing happened instead of waiting for an ack that never comes. Logged before
     * answering, so the line is there once the client has its answer.
     */
    private void rejected(Supplier<Object> instance, Socket socket, EventArgumentException bad, Ack ack,
                          HandlerMethod where) {
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("namespace " + socket.namespace().name() + ", socket " + socket.id() + ", method "
                    + type.getName() + "." + where.method().getName() + ": " + bad.getMessage());
        }
        if (ack.requested()) {
            ack.send(bad.toClient());
        } else if (socket.connected()) {
            socket.emit(EVENT_ARGUMENT_ERROR, bad.toClient());
        }
        for (HandlerMethod m : error) {
            try {
                m.invoke(instance.get(), new Call(socket, null, null, null, null, null, bad));
            } catch (Exception nested) {
                LOG.log(Level.WARNING, "@OnError method " + m.method().getName() + " failed", nested);
            }
        }
    }

    private void call(HandlerMethod m, Supplier<Object> instance, Call call) {
        try {
            m.invoke(instance.get(), call);
        } catch (Exception e) {
            failed(instance, call.socket(), e, m);
        }
    }

    private void failed(Supplier<Object> instance, Socket socket, Exception e, HandlerMethod where) {
        if (error.isEmpty()) {
            LOG.log(Level.WARNING, type.getName() + "." + where.method().getName() + " failed", e);
            return;
        }
        for (HandlerMethod m : error) {
            try {
                m.invoke(instance.get(), new Call(socket, null, null, null, null, null, e));
            } catch (Exception nested) {
                LOG.log(Level.WARNING, "@OnError method " + m.method().getName() + " failed", nested);
            }
        }
    }

    private static Supplier<Object> memoize(Supplier<Object> supplier) {
        return new Supplier<>() {
            private final Object lock = new Object();
            private volatile Object value;

            @Override
            public Object get() {
                Object v = value;
                if (v == null) {
                    synchronized (lock) {
                        if (value == null) {
                            value = supplier.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }
}
