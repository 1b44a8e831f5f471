package dev.parley.server;

/**
 * How an acknowledgement the server waits for fails when its socket disconnects first (the future
 * of {@link Socket#emitWithAck} or of a broadcast's {@link BroadcastOperator#emitWithAck}): at once,
 * not at the ack's timeout. {@link #reason()} says why; a stopping server's is
 * {@link DisconnectReason#SERVER_SHUTTING_DOWN}, and then the message starts with
 * {@code "socket disconnected: server shutting down"}.
 */
public final class SocketDisconnectedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient DisconnectReason reason;

    public SocketDisconnectedException(String socketId, DisconnectReason reason) {
        super("socket disconnected: " + reason.wire() + " (socket " + socketId + " did not acknowledge)");
        this.reason = reason;
    }

    /** Why the socket disconnected. */
    public DisconnectReason reason() {
        return reason;
    }

    /** Whether the socket disconnected because its server is stopping. */
    public boolean isServerShutdown() {
        return reason == DisconnectReason.SERVER_SHUTTING_DOWN;
    }
}
