package dev.parley.adapter;

import java.util.Set;

/**
 * Who a broadcast reaches and how: sockets in any of {@code rooms} (every socket of the namespace
 * when empty), minus those in any of {@code except}; {@code volatileSend} drops the packet for
 * sockets that cannot take it right now; {@code local} keeps it on this node.
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, boolean volatileSend, boolean local,
                               boolean compress) {

    public BroadcastOptions {
        rooms = Set.copyOf(rooms);
        except = Set.copyOf(except);
    }

    /** Every socket of the namespace, no flags. */
    public static BroadcastOptions everyone() {
        return new BroadcastOptions(Set.of(), Set.of(), false, false, true);
    }
}
