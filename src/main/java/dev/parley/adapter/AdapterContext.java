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

    /**
     * Gives a prepared packet to the local socket with this id, as one of a broadcast's recipients.
     *
     * @return whether that socket is connected here (a volatile packet it could not take counts too)
     */
    boolean deliver(String socketId, PreparedPacket packet, BroadcastOptions options);

    /**
     * As {@link #deliver(String, PreparedPacket, BroadcastOptions)} for a packet that asks for an
     * acknowledgement: that socket's answer (bearing the packet's ack id) goes to {@code acks}.
     */
    boolean deliver(String socketId, PreparedPacket packet, BroadcastOptions options, AckListener acks);
}
