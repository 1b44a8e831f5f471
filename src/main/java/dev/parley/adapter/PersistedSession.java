package dev.parley.adapter;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What connection state recovery keeps of a socket that left for a reason it may come back from
 * (a lost connection, a ping timeout): its id, its private session id ({@code pid}, the secret the
 * client presents to get it back), its rooms and a copy of its {@code data}. Immutable.
 */
public record PersistedSession(String sid, String pid, Set<String> rooms, Map<String, Object> data) {

    public PersistedSession {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(pid, "pid");
        rooms = Set.copyOf(rooms);
        data = Map.copyOf(data);
    }
}
