package dev.parley.server;

import dev.parley.engine.EngineCloseReason;
import dev.parley.engine.EngineStats;
import dev.parley.engine.HandshakeOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a server's Engine.IO connections have carried since it started, read from the engine's own
 * counters ({@link EngineStats}, which the metrics read too): nothing is counted twice for a reader
 * such as the Admin UI, which takes differences of two readings.
 *
 * @param connections    connections opened (accepted handshakes)
 * @param disconnections connections closed, by their Socket.IO disconnect reason's wire name
 * @param packetsIn      message packets received
 * @param packetsOut     message packets queued for clients
 * @param bytesIn        their bytes, as {@link EngineStats} counts them
 * @param bytesOut       their bytes, as {@link EngineStats} counts them
 */
public record TrafficTotals(long connections, Map<String, Long> disconnections, long packetsIn, long packetsOut,
                            long bytesIn, long bytesOut) {

    public TrafficTotals {
        disconnections = Map.copyOf(disconnections);
    }

    /** A reading of {@code stats} now. */
    static TrafficTotals of(EngineStats stats) {
        Map<String, Long> closes = new LinkedHashMap<>();
        for (EngineCloseReason r : EngineCloseReason.values()) {
            closes.merge(DisconnectReason.of(r).wire(), stats.closes(r), Long::sum);
        }
        return new TrafficTotals(stats.handshakes(HandshakeOutcome.ACCEPTED), closes, stats.packetsIn(),
                stats.packetsOut(), stats.bytesIn(), stats.bytesOut());
    }
}
