package dev.parley.server;

import dev.parley.adapter.PreparedPacket;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * A Socket.IO packet encoded once into the Engine.IO packets that carry it (the text packet, then
 * one binary packet per attachment), shared unchanged by every recipient of a broadcast.
 */
final class Outgoing implements PreparedPacket {

    private final List<EnginePacket> packets;

    private Outgoing(List<EnginePacket> packets) {
        this.packets = packets;
    }

    static Outgoing of(SocketPacket packet) {
        EnginePacket text = EnginePacket.message(SocketPacketEncoder.encode(packet));
        if (packet.attachments().isEmpty()) {
            return new Outgoing(List.of(text));
        }
        List<EnginePacket> all = new ArrayList<>(1 + packet.attachments().size());
        all.add(text);
        for (byte[] a : packet.attachments()) {
            all.add(EnginePacket.binary(a));
        }
        return new Outgoing(List.copyOf(all));
    }

    List<EnginePacket> packets() {
        return packets;
    }
}
