package dev.parley.server;

/** Sees every event a socket receives, before its named handlers ({@code socket.onAny}). */
@FunctionalInterface
public interface AnyEventHandler {
    void handle(String event, Args args) throws Exception;
}
