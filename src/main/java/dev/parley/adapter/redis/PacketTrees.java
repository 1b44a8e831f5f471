package dev.parley.adapter.redis;

import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Parley {@link SocketPacket} as the packet object socket.io hands its adapter, and back: {@code
 * {type, data, nsp, id?}} with binaries as Buffers inside {@code data} (socket.io splits them into
 * attachments only when it writes to a client). Broadcasts are EVENTs: socket.io says EVENT whether
 * or not the data holds binary, and so does this class; a BINARY_EVENT read back is an event too.
 * Stateless.
 */
final class PacketTrees {

    private PacketTrees() {
    }

    /** The packet object of an EVENT or BINARY_EVENT packet (its ack id left out when it has none). */
    static Map<String, Object> toTree(SocketPacket packet) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", (long) plainType(packet.type()).code());
        if (packet.data() != null) {
            out.put("data", ValueTrees.fromJson(packet.data(), packet.attachments()));
        }
        out.put("nsp", packet.namespace());
        if (packet.hasAck()) {
            out.put("id", packet.ackId());
        }
        return out;
    }

    /**
     * The EVENT a packet object stands for, in namespace {@code nsp}, without ack id (the receiving
     * node numbers its own).
     *
     * @throws IllegalArgumentException when it is no event packet object
     */
    static SocketPacket eventFromTree(Object tree, String nsp) {
        if (!(tree instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a packet is an object");
        }
        Object type = m.get("type");
        if (!(type instanceof Long t) || (t != SocketPacketType.EVENT.code() && t != SocketPacketType.BINARY_EVENT.code())) {
            throw new IllegalArgumentException("not an event packet: type " + type);
        }
        if (!(m.get("data") instanceof List<?> data) || data.isEmpty() || !(data.get(0) instanceof String)) {
            throw new IllegalArgumentException("an event's data is an array starting with its name");
        }
        List<byte[]> attachments = new ArrayList<>(0);
        JsonValue json = ValueTrees.toJson(data, attachments);
        return SocketPacket.event(nsp, json.asJsonArray(), SocketPacket.NO_ACK, attachments);
    }

    private static SocketPacketType plainType(SocketPacketType t) {
        return switch (t) {
            case BINARY_EVENT -> SocketPacketType.EVENT;
            case BINARY_ACK -> SocketPacketType.ACK;
            default -> t;
        };
    }
}
