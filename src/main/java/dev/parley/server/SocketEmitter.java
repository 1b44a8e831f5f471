package dev.parley.server;

import java.time.Duration;
import dev.parley.protocol.socketio.Args;
import java.util.concurrent.CompletableFuture;

/**
 * One socket's emits with Socket.IO's {@code compress} flag set ({@link Socket#compress}): as
 * {@link Socket#emit} and {@link Socket#emitWithAck}, but a packet sent with {@code false} is never
 * compressed (no permessage-deflate on its WebSocket frames; a polling response holding only such
 * packets is not gzipped). Immutable; holds nothing but the socket and the flag.
 */
public final class SocketEmitter {

    private final Socket socket;
    private final boolean compress;

    SocketEmitter(Socket socket, boolean compress) {
        this.socket = socket;
        this.compress = compress;
    }

    /** As {@link Socket#emit}, with this emitter's flag. */
    public SocketEmitter emit(String event, Object... args) {
        socket.emit(compress, event, args);
        return this;
    }

    /** As {@link Socket#emitWithAck}, with this emitter's flag. */
    public CompletableFuture<Args> emitWithAck(Duration timeout, String event, Object... args) {
        return socket.emitWithAck(compress, timeout, event, args);
    }
}
