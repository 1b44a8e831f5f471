package dev.parley.server;

import dev.parley.protocol.socketio.Args;

/** Sees every event a socket receives, before its named handlers ({@code socket.onAny}). */
@FunctionalInterface
public interface AnyEventHandler {
    void handle(String event, Args args) throws Exception;
}
