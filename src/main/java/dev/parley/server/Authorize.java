package dev.parley.server;

import dev.parley.auth.AuthenticationException;
import dev.parley.auth.HandshakeAuthenticator;
import dev.parley.auth.Identity;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ready-made middleware for authentication and authorization:
 * <pre>{@code
 * server.of("/admin").use(Authorize.authenticate(jwt)).use(Authorize.roles("admin"));
 * server.of("/chat").onConnection(socket -> socket.use(Authorize.event(socket, "delete", "moderator")));
 * }</pre>
 * Refusals at a namespace reach the client as {@code connect_error} with the reason as message and
 * {@code {"status": 401 or 403}} as data; a refused event is dropped and the client receives an
 * {@code error} event (see {@link EventRefusedException}).
 */
public final class Authorize {

    private Authorize() {
    }

    /**
     * Namespace middleware running {@code authenticator} at the CONNECT, where it also sees the
     * {@code auth} payload; its identity becomes the socket's {@link Socket#principal()}.
     */
    public static Middleware authenticate(HandshakeAuthenticator authenticator) {
        return (socket, next) -> {
            Identity identity;
            try {
                identity = authenticator.authenticate(new HandshakeAuthRequest(socket.client().conn().request(),
                        socket.handshake().auth()));
            } catch (AuthenticationException refused) {
                next.fail(connectError(refused));
                return;
            }
            if (identity != null) {
                socket.principal(identity);
            }
            next.proceed();
        };
    }

    /** Namespace middleware admitting only sockets whose principal holds one of {@code roles}. */
    public static Middleware roles(String... roles) {
        List<String> wanted = List.of(roles);
        return (socket, next) -> {
            Identity who = socket.principal();
            if (who == null) {
                next.fail(connectError(AuthenticationException.unauthorized("authentication required")));
            } else if (!who.hasAnyRole(wanted)) {
                next.fail(connectError(AuthenticationException.forbidden("missing role")));
            } else {
                next.proceed();
            }
        };
    }

    /** Socket middleware letting {@code event} through only from a principal with one of {@code roles}. */
    public static PacketMiddleware event(Socket socket, String event, String... roles) {
        return events(socket, Map.of(event, Set.of(roles)));
    }

    /** Socket middleware with the roles allowed per event; events not in the map pass. */
    public static PacketMiddleware events(Socket socket, Map<String, Set<String>> rolesByEvent) {
        Map<String, Set<String>> rules = Map.copyOf(rolesByEvent);
        return (event, args, next) -> {
            Set<String> allowed = rules.get(event);
            if (allowed == null || isAllowed(socket.principal(), allowed)) {
                next.proceed();
            } else {
                next.fail(new EventRefusedException(event, socket.principal() == null ? 401 : 403,
                        "not allowed: " + event));
            }
        };
    }

    static boolean isAllowed(Identity who, Iterable<String> roles) {
        return who != null && who.hasAnyRole(roles);
    }

    /** The {@code connect_error} a client gets for an authentication refusal. */
    public static ConnectError connectError(AuthenticationException refused) {
        Object data = refused.data() != null ? refused.data() : Map.of("status", refused.status());
        return new ConnectError(refused.getMessage(), data);
    }
}
