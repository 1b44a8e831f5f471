package dev.parley.auth;

/**
 * Decides who a client is, from its handshake request (and, at a namespace CONNECT, its
 * {@code auth} payload). Run once per Engine.IO handshake when set on the server, and once per
 * namespace CONNECT when used as namespace middleware. A lambda is enough for custom schemes:
 * <pre>{@code
 * HandshakeAuthenticator apiKey = request -> {
 *     String key = request.header("X-Api-Key");
 *     if (!keys.contains(key)) throw AuthenticationException.unauthorized("unknown API key");
 *     return Identity.of("api:" + key, "service");
 * };
 * }</pre>
 * Implementations must be thread-safe; they run on container threads and should not block long.
 */
@FunctionalInterface
public interface HandshakeAuthenticator {

    /**
     * @return the identity of the client; {@code null} lets it through anonymously
     * @throws AuthenticationException to refuse it, with a message the client will see
     */
    Identity authenticate(AuthRequest request) throws AuthenticationException;
}
