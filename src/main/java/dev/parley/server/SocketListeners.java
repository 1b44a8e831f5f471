package dev.parley.server;

import java.util.List;
import java.util.function.Consumer;

/**
 * A socket's listeners other than its event handlers: catch-all handlers, packet middleware,
 * disconnect and error handlers, and Parley's own close watchers. Most sockets have none of them,
 * so a socket points at the shared, never changed {@link #NONE} until its first listener, and only
 * then gets its own holder: one field per socket instead of six (24 bytes).
 *
 * <p>Each list starts as the shared immutable empty list and becomes a {@code CopyOnWriteArrayList}
 * on its first listener. The socket replaces a holder and its lists only under its listeners' lock;
 * the fields are volatile, so a reader sees either nothing yet or the one list every writer uses.
 */
final class SocketListeners {

    /** No listener at all: shared by every socket that has none; never written to. */
    static final SocketListeners NONE = new SocketListeners();

    volatile List<AnyEventHandler> anyHandlers = List.of();
    volatile List<PacketMiddleware> middlewares = List.of();
    volatile List<DisconnectHandler> disconnectingHandlers = List.of();
    volatile List<DisconnectHandler> disconnectHandlers = List.of();
    volatile List<Consumer<Exception>> errorHandlers = List.of();
    /** Parley's own watchers of the socket's end, each run once, after everything else of its close. */
    volatile List<Runnable> closeWatchers = List.of();
}
