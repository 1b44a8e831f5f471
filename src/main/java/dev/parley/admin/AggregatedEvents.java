package dev.parley.admin;

import dev.parley.server.TrafficTotals;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@code aggregatedEvents} of each {@code server_stats}, in the reference's shape
 * ({@code {timestamp, type, subType?, count}}, the timestamp in epoch milliseconds truncated to the
 * second): what the server's own counters ({@link TrafficTotals}, the engine's, which the metrics read
 * too) gained since the previous call, stamped with the current second. Types: {@code rawConnection},
 * {@code rawDisconnection} by reason, {@code packetsIn}, {@code packetsOut}, {@code bytesIn},
 * {@code bytesOut}; a type that did not change is left out. Nothing is counted here: each event is
 * counted once, where it happens. Called by one thread at a time (the server's timer).
 */
final class AggregatedEvents {

    private final Supplier<TrafficTotals> totals;
    private final LongSupplier clock;
    private TrafficTotals last;

    /**
     * @param totals a reading of the counters (the first one, taken now, is the baseline)
     * @param clock  the current time in epoch milliseconds
     */
    AggregatedEvents(Supplier<TrafficTotals> totals, LongSupplier clock) {
        this.totals = Objects.requireNonNull(totals);
        this.clock = Objects.requireNonNull(clock);
        this.last = totals.get();
    }

    /** The entries for what the counters gained since the previous call (or the construction). */
    synchronized JsonArray sinceLast() {
        TrafficTotals now = totals.get();
        long time = clock.getAsLong();
        long second = time - Math.floorMod(time, 1000L);
        JsonArrayBuilder out = Json.createArrayBuilder();
        add(out, second, "rawConnection", null, now.connections() - last.connections());
        for (Map.Entry<String, Long> e : now.disconnections().entrySet()) {
            add(out, second, "rawDisconnection", e.getKey(), e.getValue() - last.disconnections().getOrDefault(e.getKey(), 0L));
        }
        add(out, second, "packetsIn", null, now.packetsIn() - last.packetsIn());
        add(out, second, "packetsOut", null, now.packetsOut() - last.packetsOut());
        add(out, second, "bytesIn", null, now.bytesIn() - last.bytesIn());
        add(out, second, "bytesOut", null, now.bytesOut() - last.bytesOut());
        last = now;
        return out.build();
    }

    private static void add(JsonArrayBuilder out, long timestamp, String type, String subType, long count) {
        if (count <= 0) {
            return;
        }
        JsonObjectBuilder e = Json.createObjectBuilder().add("timestamp", timestamp).add("type", type);
        if (subType != null) {
            e.add("subType", subType);
        }
        out.add(e.add("count", count));
    }
}
