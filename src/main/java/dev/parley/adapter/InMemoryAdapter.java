package dev.parley.adapter;

import dev.parley.protocol.socketio.SocketPacket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node {@link Adapter}: two concurrent indexes (room to sockets, socket to rooms), read
 * without locks by broadcasts. A socket's own room (named by its id, which every socket joins) is not
 * in the room index: it is there when the socket's rooms hold its id ({@link #members}). It was a map
 * entry and a set per socket (56 bytes) repeating what the socket's own set says. A broadcast is prepared (encoded) once for all its recipients, and
 * only when it has some. The cluster operations act on this node: it is the whole cluster (one
 * server, no other node to hand a server-side event to). Multi-node adapters keep one of these as
 * their node's own index and reach the others themselves.
 */
public final class InMemoryAdapter implements Adapter {

    private final AdapterContext context;
    private final Map<String, Set<String>> rooms = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> socketRooms = new ConcurrentHashMap<>();

    public InMemoryAdapter(AdapterContext context) {
        this.context = context;
    }

    @Override
    public void addAll(String socketId, Set<String> newRooms) {
        // Each set changes inside its map's compute (RoomSets: immutable while small, as most are: a
        // socket is in its own room and a few more, and most rooms are a socket's own, with one member).
        socketRooms.compute(socketId, (k, mine) -> {
            Set<String> out = mine == null ? Set.of() : mine;
            for (String room : newRooms) {
                out = RoomSets.with(out, room);
            }
            return out;
        });
        for (String room : newRooms) {
            if (!room.equals(socketId)) {
                rooms.compute(room, (k, members) -> RoomSets.with(members, socketId));
            }
        }
    }

    @Override
    public void del(String socketId, String room) {
        // A socket in no room stays in socketRooms (its key set is "every socket"), with the empty set.
        socketRooms.computeIfPresent(socketId, (k, mine) -> RoomSets.without(mine, room));
        removeFromRoom(room, socketId);
    }

    @Override
    public void delAll(String socketId) {
        Set<String> mine = socketRooms.remove(socketId);
        if (mine == null) {
            return;
        }
        for (String room : mine) {
            removeFromRoom(room, socketId);
        }
    }

    private void removeFromRoom(String room, String socketId) {
        rooms.computeIfPresent(room, (k, members) -> {
            Set<String> left = RoomSets.without(members, socketId);
            return left.isEmpty() ? null : left;
        });
    }

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions options) {
        Set<String> targets = targets(options);
        if (targets.isEmpty()) {
            return;
        }
        PreparedPacket prepared = context.prepare(packet);
        for (String id : targets) {
            context.deliver(id, prepared, options);
        }
    }

    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions options, AckListener acks) {
        Set<String> targets = targets(options);
        int count = 0;
        if (!targets.isEmpty()) {
            PreparedPacket prepared = context.prepare(packet);
            for (String id : targets) {
                if (context.deliver(id, prepared, options, acks)) {
                    count++;
                }
            }
        }
        acks.sent(count);
    }

    private Set<String> targets(BroadcastOptions options) {
        // The common cases (one room, or everyone, nobody excepted) need no copy of the member set:
        // its live view is iterated as it is, so a broadcast to 10,000 sockets builds no set of 10,000.
        if (!options.except().isEmpty() || options.rooms().size() > 1) {
            return sockets(options);
        } else if (options.rooms().isEmpty()) {
            return socketRooms.keySet();
        }
        Set<String> members = members(options.rooms().iterator().next());
        return members == null ? Set.of() : members;
    }

    /**
     * The sockets in {@code room}, or {@code null} for none: the room index's set, with the socket whose
     * id names the room when that socket is in its own room (kept in its own set only).
     */
    private Set<String> members(String room) {
        Set<String> joined = rooms.get(room);
        Set<String> named = socketRooms.get(room);
        if (named == null || !named.contains(room)) {
            return joined;
        }
        if (joined == null) {
            return Set.of(room);
        }
        Set<String> all = new HashSet<>(joined);
        all.add(room);
        return all;
    }

    @Override
    public Set<String> sockets(BroadcastOptions options) {
        Set<String> excluded = new HashSet<>();
        for (String room : options.except()) {
            Set<String> members = members(room);
            if (members != null) {
                excluded.addAll(members);
            }
        }
        Set<String> out = new HashSet<>();
        if (options.rooms().isEmpty()) {
            for (String id : socketRooms.keySet()) {
                if (!excluded.contains(id)) {
                    out.add(id);
                }
            }
        } else {
            for (String room : options.rooms()) {
                Set<String> members = members(room);
                if (members != null) {
                    for (String id : members) {
                        if (!excluded.contains(id)) {
                            out.add(id);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        Set<String> mine = socketRooms.get(socketId);
        return mine == null ? Set.of() : Collections.unmodifiableSet(new HashSet<>(mine));
    }

    @Override
    public Set<String> rooms() {
        Set<String> all = new HashSet<>(rooms.keySet());
        socketRooms.forEach((id, mine) -> {
            if (mine.contains(id)) {
                all.add(id);
            }
        });
        return Collections.unmodifiableSet(all);
    }

    // ---------------------------------------------------------------- this node as the cluster

    @Override
    public CompletableFuture<Integer> serverCount() {
        return CompletableFuture.completedFuture(1);
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
        return CompletableFuture.completedFuture(localSockets(options));
    }

    /** The sockets of this node the options select, described by the namespace. */
    public List<SocketDetails> localSockets(BroadcastOptions options) {
        List<SocketDetails> out = new ArrayList<>();
        for (String id : sockets(options)) {
            context.describe(id).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public void addSockets(BroadcastOptions options, Set<String> newRooms) {
        for (String id : sockets(options)) {
            context.join(id, newRooms);
        }
    }

    @Override
    public void delSockets(BroadcastOptions options, Set<String> oldRooms) {
        for (String id : sockets(options)) {
            context.leave(id, oldRooms);
        }
    }

    @Override
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        for (String id : sockets(options)) {
            context.disconnect(id, close);
        }
    }

    /** No other node: an ack listener hears that none was reached. */
    @Override
    public void serverSideEmit(SocketPacket event, AckListener acks) {
        if (acks != null) {
            acks.sent(0);
        }
    }
}
