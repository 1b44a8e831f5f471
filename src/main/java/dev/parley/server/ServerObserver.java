package dev.parley.server;

import dev.parley.protocol.socketio.Args;

/**
 * Watches what happens on a {@link ParleyServer}'s sockets, as the Node server's internal events let the Admin
 * UI do (socket lifecycle and upgrades, rooms, events both ways). Connections, disconnections, packets
 * and bytes are not hooks: they are counted once, by the engine, and read with
 * {@link ParleyServer#trafficTotals()}. Set with
 * {@link ParleyServer#observe}; without one, each hook costs a null check. Called on the thread where
 * the thing happens (a transport's, the timer's, an application's): implementations must be quick,
 * thread-safe, and must not call back into the socket they are told about in a way that would notify
 * them again recursively. Hooks must not throw:
 * they run inside Parley's own paths.
 */
public interface ServerObserver {

    /** A socket connected (its own room joined), before the namespace's connection handlers run. */
    default void socketConnected(Socket socket) {
    }

    /** The connection carrying {@code socket} upgraded to {@code transport} ({@code websocket}); once per socket. */
    default void socketUpgraded(Socket socket, String transport) {
    }

    /**
     * The application changed a connected socket's {@link Socket#data() data} through the map's own
     * mutators; called after the change, on the thread that made it.
     */
    default void socketDataChanged(Socket socket) {
    }

    /** A socket left its namespace, after it left its rooms. */
    default void socketDisconnected(Socket socket, DisconnectReason reason) {
    }

    /** A socket joined a room it was not in. */
    default void roomJoined(Socket socket, String room) {
    }

    /** A socket left a room it was in (a leave, or its disconnection). */
    default void roomLeft(Socket socket, String room) {
    }

    /** A socket's client sent an event that passed the socket's middleware. */
    default void eventReceived(Socket socket, String event, Args args) {
    }

    /** An event is emitted to one socket ({@code socket.emit}, with or without an ack; not broadcasts). */
    default void eventSent(Socket socket, String event, Object[] args) {
    }
}
