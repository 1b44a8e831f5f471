package dev.parley.server;

import dev.parley.adapter.PreparedPacket;
import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * A Socket.IO packet encoded once into the Engine.IO packets that carry it (the text packet, then
 * one binary packet per attachment), each with its wire frames already built, shared unchanged by
 * every recipient of a broadcast. Immutable.
 */
final class Outgoing implements PreparedPacket {

    private final List<EncodedPacket> packets;
    private final long ackId;
    /** This packet marked not to be compressed, made once when a broadcast with compress(false) first asks. */
    private volatile Outgoing uncompressed;

    private Outgoing(List<EncodedPacket> packets, long ackId) {
        this.packets = packets;
        this.ackId = ackId;
    }

    static Outgoing of(SocketPacket packet) {
        EncodedPacket text = EncodedPacket.of(EnginePacket.message(SocketPacketEncoder.encode(packet)));
        if (packet.attachments().isEmpty()) {
            return new Outgoing(List.of(text), packet.ackId());
        }
        List<EncodedPacket> all = new ArrayList<>(1 + packet.attachments().size());
        all.add(text);
        for (byte[] a : packet.attachments()) {
            all.add(EncodedPacket.of(EnginePacket.binary(a)));
        }
        return new Outgoing(List.copyOf(all), packet.ackId());
    }

    /**
     * This packet as a send with {@code compress} (Socket.IO's {@code compress} flag) should carry it:
     * itself, or once made and then shared, the same encoded packets marked not to be compressed.
     */
    Outgoing compressed(boolean compress) {
        if (compress || packets.stream().noneMatch(EncodedPacket::compress)) {
            return this;
        }
        Outgoing u = uncompressed;
        if (u == null) {
            // A benign race: recipients that find it unset at once each make an equal one.
            u = new Outgoing(packets.stream().map(p -> p.withCompress(false)).toList(), ackId);
            uncompressed = u;
        }
        return u;
    }

    List<EncodedPacket> packets() {
        return packets;
    }

    /** The ack id the answers to this packet bear, or {@link SocketPacket#NO_ACK}. */
    long ackId() {
        return ackId;
    }
}
