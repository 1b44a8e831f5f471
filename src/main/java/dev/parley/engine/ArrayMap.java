package dev.parley.engine;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
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

    private ArrayMap(String[] keys, Object[] values, Comparator<String> order) {
        this.keys = keys;
        this.values = values;
        this.order = order;
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
     * {@code TreeMap} built with it), looked up by {@code order}: {@code String.CASE_INSENSITIVE_ORDER}
     * finds a header whatever its case. {@code map} itself when it is larger than {@link #MAX_SIZE}.
     */
    static <V> Map<String, V> sorted(Map<String, V> map, Comparator<String> order) {
        return map.size() > MAX_SIZE ? map : copy(map, order);
    }

    private static <V> Map<String, V> copy(Map<String, V> map, Comparator<String> order) {
        String[] keys = new String[map.size()];
        Object[] values = new Object[keys.length];
        int i = 0;
        for (Map.Entry<String, V> e : map.entrySet()) {
            keys[i] = e.getKey();
            values[i++] = e.getValue();
        }
        // The keys (header or parameter names) repeat from one connection to the next: one shared array.
        return new ArrayMap<>(SharedStrings.keys(keys), values, order);
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
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : (V) values[i];
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
                    @SuppressWarnings("unchecked")
                    public Map.Entry<String, V> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(keys[i], (V) values[i]);
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
