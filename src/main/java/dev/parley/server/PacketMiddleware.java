package dev.parley.server;

import dev.parley.protocol.socketio.Args;

/**
 * Socket middleware, run for each incoming event before its handlers ({@code socket.use(...)}).
 * Calling {@link Next#fail} drops the event and reports the error to the socket's error handlers.
 */
@FunctionalInterface
public interface PacketMiddleware {
    void handle(String event, Args args, Next next) throws Exception;
}
