package dev.parley.adapter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The member sets of {@link InMemoryAdapter}'s indexes (a room's sockets, a socket's rooms), small
 * while they are small: up to {@link #SMALL} members a set is immutable ({@code Set.of}, replaced whole
 * on each change), beyond that a concurrent set changed in place. A server holds two such sets per
 * socket (its own room, its rooms), nearly all of one member: an immutable one is 24 bytes, an empty
 * concurrent set (view, map, table) about 120 before its first node.
 *
 * <p>Not thread-safe by itself: every change runs inside the owning map's {@code compute} for that
 * key, which serialises the changes of one set; readers iterate whichever set the map holds without
 * locks (an immutable one never changes, a concurrent one is weakly consistent), as before.
 */
final class RoomSets {

    /** The most members an immutable set takes; the next one turns it into a concurrent set. */
    static final int SMALL = 4;

    private RoomSets() {
    }

    /** {@code set} (null for none) with {@code member} added: the same set or its replacement. */
    static Set<String> with(Set<String> set, String member) {
        if (set == null || set.isEmpty()) {
            return Set.of(member);
        }
        if (set.contains(member)) {
            return set;
        }
        if (isConcurrent(set)) {
            set.add(member);
            return set;
        }
        if (set.size() < SMALL) {
            List<String> members = new ArrayList<>(set.size() + 1);
            members.addAll(set);
            members.add(member);
            return Set.copyOf(members);
        }
        Set<String> grown = ConcurrentHashMap.newKeySet(set.size() * 2 + 2);
        grown.addAll(set);
        grown.add(member);
        return grown;
    }

    /**
     * {@code set} with {@code member} removed: the same set, its replacement, or the empty set once
     * nobody is left (callers that drop empty sets test {@code isEmpty()}).
     */
    static Set<String> without(Set<String> set, String member) {
        if (!set.contains(member)) {
            return set;
        }
        if (isConcurrent(set)) {
            set.remove(member);
            return set.isEmpty() ? Set.of() : set;
        }
        List<String> members = new ArrayList<>(set);
        members.remove(member);
        return Set.copyOf(members);
    }

    private static boolean isConcurrent(Set<String> set) {
        return set instanceof ConcurrentHashMap.KeySetView;
    }
}
