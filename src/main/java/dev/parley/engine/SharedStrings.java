package dev.parley.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of the request strings that repeat from connection to connection (header names,
 * the values of headers such as {@code Host}, {@code Upgrade} or {@code User-Agent}, the standard query
 * parameters, the client's address), each with the one-element list that holds it as a header's
 * values, and of the query maps made of Engine.IO's own parameters alone ({@link #query}). An idle
 * connection keeps its handshake request for its whole life, and without sharing each one held a dozen
 * strings and lists equal to every other connection's.
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} strings (and as many queries) of at most
 * {@link #MAX_LENGTH} characters, never evicted; once full, new strings are kept as they are (a
 * client sending made-up names can fill it, which costs sharing, never memory). Callers pass only
 * strings of few distinct values: never a key, token, cookie or session id. Thread-safe.
 */
final class SharedStrings {

    static final int MAX_ENTRIES = 4096;
    static final int MAX_LENGTH = 256;

    private static final ConcurrentHashMap<String, List<String>> SHARED = new ConcurrentHashMap<>();
    /** Immutable query maps by their keys and values in order; bounded like the strings. */
    private static final ConcurrentHashMap<List<String>, Map<String, String>> SHARED_QUERIES =
            new ConcurrentHashMap<>();

    /**
     * Key arrays of {@link ArrayMap}s (header names in order) by their contents: clients of one kind
     * send the same header names, and each connection kept its own array of them (40 bytes for six).
     * Bounded like the strings.
     */
    private static final ConcurrentHashMap<List<String>, String[]> SHARED_KEYS = new ConcurrentHashMap<>();

    private SharedStrings() {
    }

    /**
     * The shared array equal to {@code keys} (never to be written to), or {@code keys} itself when it is
     * not shared: header names, not values, so nothing secret (names longer than {@link #MAX_LENGTH} are
     * not shared).
     */
    static String[] keys(String[] keys) {
        for (String k : keys) {
            if (k == null || k.length() > MAX_LENGTH) {
                return keys;
            }
        }
        List<String> key = Arrays.asList(keys);
        String[] shared = SHARED_KEYS.get(key);
        if (shared == null && SHARED_KEYS.size() < MAX_ENTRIES) {
            shared = SHARED_KEYS.putIfAbsent(List.of(keys), keys);
            return shared == null ? keys : shared;
        }
        return shared == null ? keys : shared;
    }

    /** The shared copy of {@code s} (equal to it), or {@code s} itself when it is not shared. */
    static String string(String s) {
        List<String> one = list(s);
        return one == null ? s : one.get(0);
    }

    /** The shared immutable list holding just {@code s}, or {@code null} when {@code s} is not shared. */
    static List<String> list(String s) {
        if (s == null || s.length() > MAX_LENGTH) {
            return null;
        }
        List<String> one = SHARED.get(s);
        if (one == null && SHARED.size() < MAX_ENTRIES) {
            List<String> mine = List.of(s);
            one = SHARED.putIfAbsent(s, mine);
            return one == null ? mine : one;
        }
        return one;
    }

    /**
     * The shared copy of an immutable query map (same keys and values in the same order), or
     * {@code query} itself when it is not shared. Only for queries whose every value repeats across
     * clients (Engine.IO's own parameters), so each connection need not keep its own arrays.
     */
    static Map<String, String> query(Map<String, String> query) {
        List<String> key = new ArrayList<>(query.size() * 2);
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getValue().length() > MAX_LENGTH) {
                return query;
            }
            key.add(e.getKey());
            key.add(e.getValue());
        }
        Map<String, String> shared = SHARED_QUERIES.get(key);
        if (shared == null && SHARED_QUERIES.size() < MAX_ENTRIES) {
            shared = SHARED_QUERIES.putIfAbsent(List.copyOf(key), query);
            return shared == null ? query : shared;
        }
        return shared == null ? query : shared;
    }
}
