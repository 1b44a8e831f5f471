package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.TrafficTotals;
import jakarta.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The aggregated events as differences of two readings of the server's counters, in the reference's shape. */
class AggregatedEventsTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_250L);
    private final AtomicReference<TrafficTotals> totals = new AtomicReference<>(
            new TrafficTotals(5, Map.of("transport close", 2L, "ping timeout", 0L), 10, 20, 100, 200));
    private final AggregatedEvents events = new AggregatedEvents(totals::get, now::get);

    @Test
    void whatTheCountersGainedSinceTheLastCallStampedWithTheSecond() {
        assertThat(events.sinceLast()).as("nothing since the baseline").isEmpty();
        totals.set(new TrafficTotals(7, Map.of("transport close", 3L, "ping timeout", 1L), 12, 25, 140, 260));
        now.set(1_700_000_002_999L);
        assertThat(events.sinceLast().getValuesAs(JsonObject.class).stream().map(JsonObject::toString)).containsExactlyInAnyOrder(
                "{\"timestamp\":1700000002000,\"type\":\"rawConnection\",\"count\":2}",
                "{\"timestamp\":1700000002000,\"type\":\"rawDisconnection\",\"subType\":\"transport close\",\"count\":1}",
                "{\"timestamp\":1700000002000,\"type\":\"rawDisconnection\",\"subType\":\"ping timeout\",\"count\":1}",
                "{\"timestamp\":1700000002000,\"type\":\"packetsIn\",\"count\":2}",
                "{\"timestamp\":1700000002000,\"type\":\"packetsOut\",\"count\":5}",
                "{\"timestamp\":1700000002000,\"type\":\"bytesIn\",\"count\":40}",
                "{\"timestamp\":1700000002000,\"type\":\"bytesOut\",\"count\":60}");
        assertThat(events.sinceLast()).as("each gain reported once").isEmpty();
    }
}
