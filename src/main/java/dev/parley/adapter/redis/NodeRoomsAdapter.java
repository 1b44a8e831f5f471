package dev.parley.adapter.redis;

import dev.parley.adapter.Adapter;
import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.BroadcastOptions;
import dev.parley.adapter.InMemoryAdapter;
import java.util.Set;

/**
 * What every Redis adapter does alike: this node's rooms and sockets are an {@link InMemoryAdapter}
 * ({@link #local}), which also delivers to this node's sockets; subclasses add the other nodes.
 */
abstract class NodeRoomsAdapter implements Adapter {

    /** This node's room index, and its deliveries. */
    protected final InMemoryAdapter local;

    NodeRoomsAdapter(AdapterContext context) {
        this.local = new InMemoryAdapter(context);
    }

    @Override
    public void addAll(String socketId, Set<String> rooms) {
        local.addAll(socketId, rooms);
    }

    @Override
    public void del(String socketId, String room) {
        local.del(socketId, room);
    }

    @Override
    public void delAll(String socketId) {
        local.delAll(socketId);
    }

    @Override
    public Set<String> sockets(BroadcastOptions options) {
        return local.sockets(options);
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        return local.socketRooms(socketId);
    }

    @Override
    public Set<String> rooms() {
        return local.rooms();
    }
}
