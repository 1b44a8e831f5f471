package dev.parley.server;

import dev.parley.adapter.BroadcastOptions;
import dev.parley.adapter.SocketDetails;
import jakarta.json.JsonObject;
import java.util.Set;

/**
 * A socket selected by {@code fetchSockets()}, on this node or another, as socket.io's
 * {@code RemoteSocket}: what its node described when asked (id, handshake, rooms, data, a snapshot
 * that does not follow later changes), and the operations any node can ask of it, carried out by
 * the namespace's adapter wherever the socket is. Immutable.
 */
public final class RemoteSocket {

    private final Namespace namespace;
    private final SocketDetails details;

    RemoteSocket(Namespace namespace, SocketDetails details) {
        this.namespace = namespace;
        this.details = details;
    }

    public String id() {
        return details.id();
    }

    /** The handshake as socket.io writes it ({@code headers}, {@code address}, {@code query}, {@code auth}...). */
    public JsonObject handshake() {
        return details.handshake();
    }

    /** The rooms it was in when described, its own id room included. */
    public Set<String> rooms() {
        return details.rooms();
    }

    /** Its {@code data} as JSON, as its node described it (values JSON cannot carry are left out). */
    public JsonObject data() {
        return details.data();
    }

    /** Emits to this socket alone, through the adapter (the arguments as {@link Socket#emit} takes them). */
    public void emit(String event, Object... args) {
        namespace.to(details.id()).emit(event, args);
    }

    /** Makes it join rooms, wherever it is. */
    public void join(String... rooms) {
        namespace.adapter().addSockets(only(), Set.of(rooms));
    }

    /** Makes it leave rooms, wherever it is. */
    public void leave(String... rooms) {
        namespace.adapter().delSockets(only(), Set.of(rooms));
    }

    /** Disconnects it (its whole connection when {@code close}), wherever it is. */
    public void disconnect(boolean close) {
        namespace.adapter().disconnectSockets(only(), close);
    }

    private BroadcastOptions only() {
        return BroadcastOptions.everyone().to(details.id());
    }

    @Override
    public String toString() {
        return "RemoteSocket[" + details.id() + " in " + namespace.name() + "]";
    }
}
