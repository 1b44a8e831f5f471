package dev.parley.auth;

import jakarta.json.JsonObject;
import java.security.Principal;

/**
 * What an authenticator may look at: the HTTP request that opened the connection (headers,
 * cookies, query, remote address, the container's logged-in user) and, at a namespace CONNECT,
 * the client's {@code auth} payload. Read-only; valid only during the call it is passed to.
 */
public interface AuthRequest {

    /** The first value of a header (case-insensitive name), or {@code null}. */
    String header(String name);

    /** The value of a cookie from the {@code Cookie} header, or {@code null}. */
    String cookie(String name);

    /** A query parameter of the handshake request, or {@code null}. */
    String queryParam(String name);

    /** The peer's IP address, or {@code null} where the container does not expose it. */
    String remoteAddress();

    /** The user the container authenticated for the handshake request, or {@code null}. */
    Principal containerPrincipal();

    /** Whether the container's user is in a role (always false without a container principal). */
    boolean isContainerUserInRole(String role);

    /**
     * The {@code auth} payload of the namespace CONNECT packet ({@code io({auth: {...}})}), or
     * {@code null} at the Engine.IO handshake, which comes before it.
     */
    JsonObject authPayload();
}
