package dev.parley.admin;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counts what happens between two {@code server_stats} (connections, disconnections by reason,
 * packets and bytes each way) per second, as the reference's event buffer: each entry is
 * {@code {timestamp, type, subType?, count}} with the timestamp truncated to the second, in epoch
 * milliseconds. Thread-safe: counted from any thread, drained by the timer.
 */
public final class EventAggregator {

    private record Key(long timestamp, String type, String subType) {
    }

    private final LongSupplier clock;
    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    /** @param clock the current time in epoch milliseconds */
    public EventAggregator(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /** Adds {@code count} to this second's entry of {@code type} and {@code subType} ({@code null}: none). */
    public void push(String type, String subType, long count) {
        long now = clock.getAsLong();
        counts.computeIfAbsent(new Key(now - Math.floorMod(now, 1000L), type, subType), k -> new LongAdder()).add(count);
    }

    /** The entries counted since the last drain, which are forgotten; a count that lands meanwhile is kept for the next. */
    public JsonArray drain() {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (Key key : counts.keySet()) {
            LongAdder adder = counts.remove(key);
            if (adder == null) {
                continue;
            }
            JsonObjectBuilder e = Json.createObjectBuilder().add("timestamp", key.timestamp()).add("type", key.type());
            if (key.subType() != null) {
                e.add("subType", key.subType());
            }
            out.add(e.add("count", adder.sum()));
        }
        return out.build();
    }
}
