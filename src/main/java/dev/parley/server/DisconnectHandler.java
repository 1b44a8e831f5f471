package dev.parley.server;

/** Told once when a socket disconnects, with the reason (see {@link DisconnectReason}). */
@FunctionalInterface
public interface DisconnectHandler {
    void handle(DisconnectReason reason, String description);
}
