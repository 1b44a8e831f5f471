package dev.parley.protocol.socketio;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Set;

/**
 * One Socket.IO v5 packet. {@code namespace} is never null ({@code "/"} is the main namespace);
 * {@code ackId} is {@link #NO_ACK} when absent; {@code data} may be null (no payload); for binary
 * types {@code data} holds placeholders and {@code attachments} the bytes, in order.
 */
public record SocketPacket(SocketPacketType type, String namespace, long ackId, JsonValue data,
                           List<byte[]> attachments) {

    /** The ack id of a packet that asks for no acknowledgement. */
    public static final long NO_ACK = -1L;

    /**
     * Event names no EVENT may carry, because they mean something of their own to the client, the
     * server or Node's EventEmitter: the reference parser refuses them, and so do Parley's decoder
     * and {@code emit}.
     */
    public static final Set<String> RESERVED_EVENTS = Set.of("connect", "connect_error", "disconnect",
            "disconnecting", "newListener", "removeListener");

    public SocketPacket {
        namespace = namespace == null || namespace.isEmpty() ? "/" : namespace;
        attachments = attachments == null || attachments.isEmpty() ? List.of() : List.copyOf(attachments);
    }

    public static SocketPacket connect(String nsp, JsonObject data) {
        return new SocketPacket(SocketPacketType.CONNECT, nsp, NO_ACK, data, List.of());
    }

    /**
     * The server's answer to a namespace CONNECT: {@code {"sid": sid}}, or {@code {"sid": sid, "pid": pid}}
     * when connection state recovery is on ({@code pid}, the private session id, names the session
     * to restore should this connection be lost; {@code null} when recovery is off).
     */
    public static SocketPacket connected(String nsp, String sid, String pid) {
        var data = Jsonp.PROVIDER.createObjectBuilder().add("sid", sid);
        if (pid != null) {
            data.add("pid", pid);
        }
        return connect(nsp, data.build());
    }

    public static SocketPacket connectError(String nsp, JsonValue data) {
        return new SocketPacket(SocketPacketType.CONNECT_ERROR, nsp, NO_ACK, data, List.of());
    }

    public static SocketPacket disconnect(String nsp) {
        return new SocketPacket(SocketPacketType.DISCONNECT, nsp, NO_ACK, null, List.of());
    }

    /** An EVENT, or a BINARY_EVENT when there are attachments. */
    public static SocketPacket event(String nsp, JsonArray data, long ackId, List<byte[]> attachments) {
        boolean binary = attachments != null && !attachments.isEmpty();
        return new SocketPacket(binary ? SocketPacketType.BINARY_EVENT : SocketPacketType.EVENT, nsp, ackId, data,
                attachments);
    }

    /** An ACK, or a BINARY_ACK when there are attachments. */
    public static SocketPacket ack(String nsp, long ackId, JsonArray data, List<byte[]> attachments) {
        boolean binary = attachments != null && !attachments.isEmpty();
        return new SocketPacket(binary ? SocketPacketType.BINARY_ACK : SocketPacketType.ACK, nsp, ackId, data,
                attachments);
    }

    /**
     * This EVENT with {@code offset} appended as its last argument, the way connection state
     * recovery numbers what it sends: socket.io-client remembers the last string argument of each
     * event as the offset to resume from ({@code 2["news",1]} becomes {@code 2["news",1,"o"]}).
     * Attachments are unchanged (their placeholders stay where they were).
     *
     * @throws IllegalStateException for any packet but an EVENT or BINARY_EVENT
     */
    public SocketPacket withOffset(String offset) {
        if (type != SocketPacketType.EVENT && type != SocketPacketType.BINARY_EVENT) {
            throw new IllegalStateException("only an event carries an offset, not " + type);
        }
        JsonArray args = Jsonp.PROVIDER.createArrayBuilder((JsonArray) data).add(offset).build();
        return new SocketPacket(type, namespace, ackId, args, attachments);
    }

    public boolean hasAck() {
        return ackId != NO_ACK;
    }
}
