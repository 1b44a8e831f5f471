package dev.parley.engine;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A small immutable map with string keys over two arrays, in the order it was given: what an
 * {@link EngineRequest} keeps of its query and headers for the life of the connection. A
 * {@code TreeMap} or {@code LinkedHashMap} spends an entry object (40 bytes) per mapping and more for
 * the map; this one two arrays. Lookups are a binary search (keys given sorted by the comparator) or
 * a linear scan (any order, exact keys), so it is meant for tens of keys, not thousands: the
 * {@link #of} factories fall back to the given map beyond {@link #MAX_SIZE}.
 *
 * @param <V> the values
 */
final class ArrayMap<V> extends AbstractMap<String, V> {

    /** Beyond this many keys the factories keep the map they were given. */
    static final int MAX_SIZE = 32;

    private final String[] keys;
    private final Object[] values;
    /** The order the keys are sorted in, for a binary search; {@code null}: unsorted, exact keys. */
    private final Comparator<String> order;
    /**
     * Whether a {@code String} among the values stands for the one-element list holding it (a map of
     * header values, {@link #sortedSingles}): a value of a connection's own, such as its WebSocket key,
     * then costs no list of its own (24 bytes) while the connection lives; the list is made when asked.
     */
    private final boolean singles;

    private ArrayMap(String[] keys, Object[] values, Comparator<String> order, boolean singles) {
        this.keys = keys;
        this.values = values;
        this.order = order;
        this.singles = singles;
    }

    /**
     * An immutable copy of {@code map}, in its iteration order, looked up with exact keys; {@code map}
     * itself (callers wrap it) when it is larger than {@link #MAX_SIZE}.
     */
    static <V> Map<String, V> of(Map<String, V> map) {
        return map.size() > MAX_SIZE ? map : copy(map, null);
    }

    /**
     * An immutable copy of {@code map}, whose iteration order must be sorted by {@code order} (a
     * {@code TreeMap} built with it), looked up by {@code order} ({@code String.CASE_INSENSITIVE_ORDER}
     * finds a header whatever its case), for lists of strings given either as lists or, for a one-element list, as its
     * string: {@link #get} and the entries answer {@code List.of(string)} for those. {@code null} when
     * the map is larger than {@link #MAX_SIZE} (the caller keeps a map of its own).
     */
    static Map<String, List<String>> sortedSingles(Map<String, Object> map, Comparator<String> order) {
        return map.size() > MAX_SIZE ? null : copy(map, order, true);
    }

    private static <V> Map<String, V> copy(Map<String, V> map, Comparator<String> order) {
        return copy(map, order, false);
    }

    private static <V, W> Map<String, W> copy(Map<String, V> map, Comparator<String> order, boolean singles) {
        String[] keys = new String[map.size()];
        Object[] values = new Object[keys.length];
        int i = 0;
        for (Map.Entry<String, V> e : map.entrySet()) {
            keys[i] = e.getKey();
            values[i++] = e.getValue();
        }
        // The keys (header or parameter names) repeat from one connection to the next: one shared array.
        return new ArrayMap<>(SharedStrings.keys(keys), values, order, singles);
    }

    private int indexOf(Object key) {
        if (!(key instanceof String k)) {
            return -1;
        }
        if (order != null) {
            int i = Arrays.binarySearch(keys, k, order);
            return i < 0 ? -1 : i;
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(k)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : value(i);
    }

    @SuppressWarnings("unchecked")
    private V value(int i) {
        Object v = values[i];
        return singles && v instanceof String s ? (V) List.of(s) : (V) v;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Map.Entry<String, V> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(keys[i], value(i));
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
