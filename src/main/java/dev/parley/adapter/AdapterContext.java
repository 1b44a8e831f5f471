package dev.parley.adapter;

import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.SocketPacket;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The narrow view an {@link Adapter} has of its namespace: how to encode a packet once and how to
 * hand it to one local socket. Adapters never see the namespace itself.
 */
public interface AdapterContext {

    /** The namespace name, e.g. {@code "/chat"}. */
    String namespace();

    /**
     * A fresh acknowledgement id of this namespace (the counter its own {@code emitWithAck} calls
     * draw from), for a broadcast with acknowledgement that another node asked for: socket.io
     * numbers acknowledgements per node, so such a packet arrives without an id of this node's.
     */
    long nextAckId();

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

    /** A socket of this node described for a fetch ({@link Adapter#fetchSockets}); empty when it is not here. */
    Optional<SocketDetails> describe(String socketId);

    /** Makes a socket of this node join rooms, as {@code socket.join} does (nothing if it is not here). */
    void join(String socketId, Set<String> rooms);

    /** Makes a socket of this node leave rooms, as {@code socket.leave} does (nothing if it is not here). */
    void leave(String socketId, Set<String> rooms);

    /** Disconnects a socket of this node, as {@code socket.disconnect(close)} does (nothing if it is not here). */
    void disconnect(String socketId, boolean close);

    /**
     * An event another node sent with {@link Adapter#serverSideEmit}: this namespace's handlers of
     * server-side events run with it. {@code answer} (when the sender asked for one) is called once,
     * with this node's answer.
     */
    void serverSideEvent(SocketPacket event, Consumer<Args> answer);
}
