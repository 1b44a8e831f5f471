package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerMapsTest {

    private final EventHandler echo = (args, ack) -> ack.send(args.toArray());
    private final EventHandler other = (args, ack) -> { };

    @Test
    void anEqualMapIsReplacedByTheOneARecentSocketHolds() {
        HandlerMaps maps = new HandlerMaps();
        Map<String, List<EventHandler>> first = Map.of("echo", List.of(echo));
        Map<String, List<EventHandler>> second = Map.of("echo", List.of(echo));

        assertThat(maps.shared(first)).isSameAs(first);
        assertThat(maps.shared(second)).isSameAs(first);
    }

    @Test
    void mapsWithOtherHandlersOrEventsAreKeptAsTheyAre() {
        HandlerMaps maps = new HandlerMaps();
        maps.shared(Map.of("echo", List.of(echo)));
        Map<String, List<EventHandler>> otherHandler = Map.of("echo", List.of(other));
        Map<String, List<EventHandler>> otherEvent = Map.of("ping", List.of(echo));
        Map<String, List<EventHandler>> twoHandlers = Map.of("echo", List.of(echo, other));

        assertThat(maps.shared(otherHandler)).isSameAs(otherHandler);
        assertThat(maps.shared(otherEvent)).isSameAs(otherEvent);
        assertThat(maps.shared(twoHandlers)).isSameAs(twoHandlers);
    }

    @Test
    void onlyTheLastSlotsManyMapsAreRemembered() {
        HandlerMaps maps = new HandlerMaps();
        Map<String, List<EventHandler>> oldest = Map.of("e0", List.of(echo));
        maps.shared(oldest);
        for (int i = 1; i <= HandlerMaps.SLOTS; i++) {
            maps.shared(Map.of("e" + i, List.of(echo)));
        }
        Map<String, List<EventHandler>> again = Map.of("e0", List.of(echo));

        assertThat(maps.shared(again)).isSameAs(again);
    }
}
