package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventAggregatorTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_250L);
    private final EventAggregator events = new EventAggregator(now::get);

    private static List<String> lines(JsonArray drained) {
        return drained.stream().map(v -> (JsonObject) v)
                .sorted(Comparator.comparing((JsonObject o) -> o.getJsonNumber("timestamp").longValue())
                        .thenComparing(o -> o.getString("type")).thenComparing(o -> o.getString("subType", "")))
                .map(JsonObject::toString).toList();
    }

    @Test
    void countsAreSummedPerSecondTypeAndSubType() {
        events.push("packetsIn", null, 1);
        events.push("packetsIn", null, 1);
        events.push("bytesIn", null, 40);
        now.set(1_700_000_000_999L);
        events.push("bytesIn", null, 2);
        events.push("rawDisconnection", "transport close", 1);
        events.push("rawDisconnection", "ping timeout", 1);
        now.set(1_700_000_001_000L);
        events.push("packetsIn", null, 1);
        assertThat(lines(events.drain())).containsExactly(
                "{\"timestamp\":1700000000000,\"type\":\"bytesIn\",\"count\":42}",
                "{\"timestamp\":1700000000000,\"type\":\"packetsIn\",\"count\":2}",
                "{\"timestamp\":1700000000000,\"type\":\"rawDisconnection\",\"subType\":\"ping timeout\",\"count\":1}",
                "{\"timestamp\":1700000000000,\"type\":\"rawDisconnection\",\"subType\":\"transport close\",\"count\":1}",
                "{\"timestamp\":1700000001000,\"type\":\"packetsIn\",\"count\":1}");
    }

    @Test
    void aDrainForgetsWhatItReturned() {
        events.push("rawConnection", null, 1);
        assertThat(events.drain()).hasSize(1);
        assertThat(events.drain()).isEmpty();
        events.push("rawConnection", null, 1);
        assertThat(lines(events.drain())).containsExactly(
                "{\"timestamp\":1700000000000,\"type\":\"rawConnection\",\"count\":1}");
    }
}
