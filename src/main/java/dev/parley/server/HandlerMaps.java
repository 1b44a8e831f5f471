package dev.parley.server;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;

/**
 * One copy of equal event-handler maps ({@link Socket#on}'s immutable map of immutable lists) for the
 * sockets of a namespace. Applications mostly register the same handlers on every socket; when the
 * handler objects themselves are shared (a method reference to a singleton, a lambda made once outside
 * the connection handler), every socket built an equal map of its own: for two events about 130 bytes
 * per socket. A socket's new map is replaced by an equal one a recent socket made, if any: the maps
 * are immutable and replaced whole on each change, so sharing one is invisible.
 *
 * <p>Remembers the last {@link #SLOTS} maps it was given, weakly: a map no socket uses any more, and
 * the handlers it holds, stay collectable. Maps whose handlers capture their socket never match
 * another socket's and merely pass through. Thread-safe.
 */
final class HandlerMaps {

    /** How many recent maps are remembered: enough for a handful of {@code on} calls per socket. */
    static final int SLOTS = 8;

    @SuppressWarnings("unchecked")
    private final WeakReference<Map<String, List<EventHandler>>>[] recent = new WeakReference[SLOTS];
    private int next;

    /** An equal map a recent socket holds, else {@code map} itself (remembered from now on). */
    synchronized Map<String, List<EventHandler>> shared(Map<String, List<EventHandler>> map) {
        for (WeakReference<Map<String, List<EventHandler>>> ref : recent) {
            Map<String, List<EventHandler>> known = ref == null ? null : ref.get();
            if (known != null && known.equals(map)) {
                return known;
            }
        }
        recent[next] = new WeakReference<>(map);
        next = (next + 1) % SLOTS;
        return map;
    }
}
