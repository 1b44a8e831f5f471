package dev.parley.engine;

/**
 * Decides whether a new connection may open, while its handshake request is still being handled
 * (so the container's user and roles can be asked). The Socket.IO layer installs one that runs the
 * application's authenticator; the engine knows nothing of identities.
 */
@FunctionalInterface
public interface HandshakeGuard {

    /** Lets everyone in, with nothing attached. */
    HandshakeGuard OPEN = request -> null;

    /**
     * @return what to attach to the session ({@link EngineSession#attachment()}), or {@code null}
     * @throws EngineRefusal to refuse the connection; the client gets its status and message
     */
    Object admit(EngineRequest request) throws EngineRefusal;
}
