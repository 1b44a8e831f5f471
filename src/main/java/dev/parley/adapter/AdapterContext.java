package dev.parley.adapter;

import dev.parley.protocol.socketio.SocketPacket;

/**
 * The narrow view an {@link Adapter} has of its namespace: how to encode a packet once and how to
 * hand it to one local socket. Adapters never see the namespace itself.
 */
public interface AdapterContext {

    /** The namespace name, e.g. {@code "/chat"}. */
    String namespace();

    /** Encodes a packet once, for any number of {@link #deliver} calls. */
    PreparedPacket prepare(SocketPacket packet);

    /** Gives a prepared packet to the local socket with this id, if it is still connected. */
    void deliver(String socketId, PreparedPacket packet, BroadcastOptions options);
}
