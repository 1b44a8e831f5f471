package dev.parley.jakarta.it.secure;

import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import java.security.Principal;

/** The probe's answer lines: {@code <where> principal=<name or null> admin=<true|false>}. */
final class WhoAmI {

    private WhoAmI() {
    }

    static String report(String where, Principal principal, boolean admin) {
        return principal(where, principal) + " admin=" + admin;
    }

    static String principal(String where, Principal principal) {
        return where + " principal=" + (principal == null ? null : principal.getName());
    }

    /**
     * A WebSocket probe's first message: what {@code modifyHandshake} saw, the session's
     * principal, and what the same {@link HandshakeRequest} answers for the role once the handshake
     * is over (in {@code onOpen}), which no specification promises.
     */
    static String opened(Session session) {
        String later;
        try {
            later = "onOpen admin=" + ((HandshakeRequest) session.getUserProperties().get(WhoAmIEndpoints.REQUEST))
                    .isUserInRole("admin");
        } catch (RuntimeException e) {
            later = "onOpen threw " + e;
        }
        return session.getUserProperties().get(WhoAmIEndpoints.HANDSHAKE) + "\n"
                + principal("session", session.getUserPrincipal()) + "\n" + later;
    }
}
