package dev.parley.server;

import dev.parley.protocol.socketio.Args;

/** Handles one named event from a client: {@code socket.on("msg", (args, ack) -> ...)}. */
@FunctionalInterface
public interface EventHandler {
    void handle(Args args, Ack ack) throws Exception;
}
