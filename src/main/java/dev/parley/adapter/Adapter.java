package dev.parley.adapter;

import dev.parley.protocol.socketio.SocketPacket;
import java.util.Set;

/**
 * The room index of one namespace and the way broadcasts reach sockets, like Socket.IO's adapter.
 * The in-memory adapter serves one node; others (Redis) also reach other nodes. Implementations
 * are thread-safe: rooms are read by broadcasts while sockets join and leave.
 */
public interface Adapter {

    /** Adds a socket to rooms (a socket is always in the room named by its own id). */
    void addAll(String socketId, Set<String> rooms);

    /** Removes a socket from one room. */
    void del(String socketId, String room);

    /** Removes a socket from every room, as it disconnects. */
    void delAll(String socketId);

    /** Sends a packet to the sockets the options select, encoded once for all of them. */
    void broadcast(SocketPacket packet, BroadcastOptions options);

    /**
     * Sends a packet that asks for an acknowledgement (it carries its ack id) to the sockets the
     * options select, encoded once, and reports to {@code acks} how many it reached
     * ({@link AckListener#sent}, once) and each one's answer. Timeouts are the caller's.
     */
    void broadcastWithAck(SocketPacket packet, BroadcastOptions options, AckListener acks);

    /** Ids of the sockets the options select (rooms/except), on this node. */
    Set<String> sockets(BroadcastOptions options);

    /** The rooms a socket is in, empty if unknown. */
    Set<String> socketRooms(String socketId);

    /** Every room that has at least one socket. */
    Set<String> rooms();

    /** Frees resources; the namespace is gone. */
    default void close() {
    }
}
