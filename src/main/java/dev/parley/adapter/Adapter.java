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

    // ---------------------------------------------------------------- connection state recovery
    // An adapter without it (the plain in-memory one) keeps nothing: every lookup fails.

    /**
     * Keeps a socket that left for a recoverable reason, with its rooms and data, and from now on
     * the packets its rooms select, until it is restored or its time is up.
     */
    default void persistSession(PersistedSession session) {
    }

    /**
     * Whether the session {@code pid} could be restored from {@code offset} (the last event its
     * client processed) now, without claiming it: the namespace decides with it which socket its
     * middleware sees. {@link #restoreSession} decides for good.
     */
    default SessionLookup findSession(String pid, String offset) {
        return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION);
    }

    /**
     * Claims the session {@code pid} (a claim is final: restored or not, it is forgotten) and, when
     * every packet sent after {@code offset} is still kept, restores it at once with respect to
     * broadcasts: the socket rejoins its rooms, {@code onRestored} runs (the namespace sends its
     * CONNECT reply there), then every missed packet its rooms select is delivered to it in order,
     * before any packet broadcast later. Otherwise nothing is delivered and the lookup says why.
     */
    default SessionLookup restoreSession(String pid, String offset, Runnable onRestored) {
        return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION);
    }

    /** Frees resources; the namespace is gone. */
    default void close() {
    }
}
