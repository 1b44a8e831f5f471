package dev.parley.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A socket's {@code data} map, which tells the server's {@link ServerObserver} when the application
 * changes it on a connected socket ({@link ServerObserver#socketDataChanged}), as the reference Admin
 * UI's proxy on {@code socket.data} does for its {@code socket_updated}. Without an observer, or before
 * the socket connected (middleware filling it in), a change costs one check more than the plain map.
 * Each of the map's own mutators is covered; changes made through its views ({@code entrySet()},
 * {@code values()}) or to a value's own contents are not told, as the reference tells only assignments
 * to {@code socket.data}'s own properties.
 */
final class SocketData extends ConcurrentHashMap<String, Object> {

    private static final long serialVersionUID = 1L;

    private final transient Socket socket;

    SocketData(Socket socket) {
        super(4);
        this.socket = socket;
    }

    private <T> T changed(T result) {
        ServerObserver observer = socket.namespace().server().observer();
        if (observer != null && socket.connected()) {
            observer.socketDataChanged(socket);
        }
        return result;
    }

    @Override
    public Object put(String key, Object value) {
        return changed(super.put(key, value));
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        super.putAll(m);
        changed(null);
    }

    @Override
    public Object putIfAbsent(String key, Object value) {
        return changed(super.putIfAbsent(key, value));
    }

    @Override
    public Object remove(Object key) {
        return changed(super.remove(key));
    }

    @Override
    public boolean remove(Object key, Object value) {
        return changed(super.remove(key, value));
    }

    @Override
    public boolean replace(String key, Object oldValue, Object newValue) {
        return changed(super.replace(key, oldValue, newValue));
    }

    @Override
    public Object replace(String key, Object value) {
        return changed(super.replace(key, value));
    }

    @Override
    public void clear() {
        super.clear();
        changed(null);
    }

    @Override
    public Object computeIfAbsent(String key, Function<? super String, ?> mappingFunction) {
        return changed(super.computeIfAbsent(key, mappingFunction));
    }

    @Override
    public Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> remapping) {
        return changed(super.computeIfPresent(key, remapping));
    }

    @Override
    public Object compute(String key, BiFunction<? super String, ? super Object, ?> remapping) {
        return changed(super.compute(key, remapping));
    }

    @Override
    public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> remapping) {
        return changed(super.merge(key, value, remapping));
    }
}
