package dev.parley.adapter;

import dev.parley.protocol.socketio.SocketPacket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The room index of one namespace and the way broadcasts reach sockets, like Socket.IO's adapter.
 * The in-memory adapter serves one node; others (Redis) also reach other nodes. Implementations
 * are thread-safe: rooms are read by broadcasts while sockets join and leave.
 *
 * <p>Every operation that selects sockets by {@link BroadcastOptions} ({@link #broadcast},
 * {@link #broadcastWithAck}, {@link #fetchSockets}, {@link #addSockets}, {@link #delSockets},
 * {@link #disconnectSockets}) reaches the matching sockets of every node of the cluster, each once,
 * unless the options carry the {@link BroadcastFlags#local() local} flag; {@link #sockets},
 * {@link #socketRooms} and {@link #rooms} describe this node only. Operations that wait for other
 * nodes complete within the adapter's request timeout, whatever the other nodes do.
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

    // ---------------------------------------------------------------- the cluster (this node alone in memory)

    /** How many nodes serve this namespace, this one included: 1 for a single node. */
    CompletableFuture<Integer> serverCount();

    /**
     * The sockets the options select on every node: this node's described by its namespace
     * ({@link AdapterContext#describe}), the others' as their nodes answer. Fails with a
     * {@link java.util.concurrent.TimeoutException} when some node has not answered in time.
     */
    CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options);

    /** Makes the sockets the options select join these rooms, on every node. */
    void addSockets(BroadcastOptions options, Set<String> rooms);

    /** Makes the sockets the options select leave these rooms, on every node. */
    void delSockets(BroadcastOptions options, Set<String> rooms);

    /** Disconnects the sockets the options select (their whole connections when {@code close}), on every node. */
    void disconnectSockets(BroadcastOptions options, boolean close);

    /**
     * Hands an event (an EVENT packet of this namespace, without ack id) to this namespace on every
     * other node, never this one ({@link AdapterContext#serverSideEvent}), as socket.io's
     * {@code serverSideEmit}. With {@code acks}: {@link AckListener#sent} is told how many other
     * nodes there are, {@link AckListener#answered} each one's answer; timeouts are the caller's.
     * Without ({@code null}), nothing is awaited.
     */
    void serverSideEmit(SocketPacket event, AckListener acks);

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
