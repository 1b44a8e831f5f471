package dev.parley.engine;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of the request strings that repeat from connection to connection (header names,
 * the values of headers such as {@code Host}, {@code Upgrade} or {@code User-Agent}, the standard query
 * parameters, the client's address), each with the one-element list that holds it as a header's
 * values. An idle connection keeps its handshake request for its whole life, and without sharing each
 * one held a dozen strings and lists equal to every other connection's.
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} strings of at most {@link #MAX_LENGTH} characters, never
 * evicted; once full, new strings are kept as they are (a client sending made-up names can fill it,
 * which costs sharing, never memory). Callers pass only strings of few distinct values: never a key,
 * token, cookie or session id. Thread-safe.
 */
final class SharedStrings {

    static final int MAX_ENTRIES = 4096;
    static final int MAX_LENGTH = 256;

    private static final ConcurrentHashMap<String, List<String>> SHARED = new ConcurrentHashMap<>();

    private SharedStrings() {
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
}
