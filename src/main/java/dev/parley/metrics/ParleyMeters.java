package dev.parley.metrics;

import dev.parley.adapter.AdapterFactory;
import dev.parley.adapter.AdapterHealth;
import dev.parley.adapter.AdapterRequests;
import dev.parley.engine.EngineCloseReason;
import dev.parley.engine.EngineOptions;
import dev.parley.engine.EngineServer;
import dev.parley.engine.EngineStats;
import dev.parley.engine.HandshakeOutcome;
import dev.parley.server.DisconnectReason;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Parley's meters, bound once to a Micrometer {@link MeterRegistry}: every one reads a counter the
 * engine, the model or the adapter factory keeps anyway ({@link EngineStats}, {@link ServerStats},
 * {@link AdapterRequests}, {@link AdapterFactory#health()}) or walks the open
 * sessions, namespaces or rooms when the registry is read (a scrape), so Parley's hot paths pay
 * one {@code LongAdder} increment per event whether metrics are served or not, and no tag is built
 * after binding. Names follow Micrometer's conventions under {@code parley.} (Prometheus shows
 * {@code parley.handshakes} as {@code parley_handshakes_total}). This class is the list of meters:
 * the README's table of meters is what it registers, kept equal by {@code MeterDocumentationTest}.
 */
public final class ParleyMeters implements MeterBinder {

    private static final String PAYLOAD = "size of the packets `parley.packets` counts: one byte for the type plus "
            + "their text's characters or binary's bytes (framing, polling separators and compression not counted)";

    private final ParleyServer server;

    public ParleyMeters(ParleyServer server) {
        this.server = server;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        EngineServer engine = server.engine();
        EngineStats es = engine.stats();
        ServerStats ss = server.stats();
        // Engine.IO
        for (String transport : new String[] {EngineOptions.POLLING, EngineOptions.WEBSOCKET}) {
            Gauge.builder("parley.connections", engine, e -> e.sessionsOn(transport))
                    .description("open Engine.IO connections by their current transport")
                    .tag("transport", transport).register(registry);
        }
        for (HandshakeOutcome o : HandshakeOutcome.values()) {
            counter("parley.handshakes", es, s -> s.handshakes(o),
                    "handshake requests by outcome (accepted, refused by policy, invalid) and reason")
                    .tag("outcome", o.outcome()).tag("reason", o.reason()).register(registry);
        }
        counter("parley.upgrades", es, EngineStats::upgrades,
                "polling connections upgraded to WebSocket").register(registry);
        for (EngineCloseReason r : EngineCloseReason.values()) {
            counter("parley.connections.closed", es, s -> s.closes(r),
                    "Engine.IO connections closed, by reason (`slow consumer`: cut off by max-buffered-bytes "
                    + "or -packets)").tag("reason", r.wire()).register(registry);
        }
        counter("parley.packets", es, EngineStats::packetsIn, "message packets received (in) and "
                + "queued for clients (out)").tag("direction", "in").register(registry);
        counter("parley.packets", es, EngineStats::packetsOut, "message packets received (in) and "
                + "queued for clients (out)").tag("direction", "out").register(registry);
        counter("parley.payload", es, EngineStats::bytesIn, PAYLOAD)
                .tag("direction", "in").baseUnit(BaseUnits.BYTES).register(registry);
        counter("parley.payload", es, EngineStats::bytesOut, PAYLOAD)
                .tag("direction", "out").baseUnit(BaseUnits.BYTES).register(registry);
        Gauge.builder("parley.buffered", engine, EngineServer::waitingBytes)
                .description("bytes waiting for clients now, every connection's buffer and transport backlog")
                .baseUnit(BaseUnits.BYTES).register(registry);
        counter("parley.dropped.packets", es, EngineStats::droppedPackets,
                "volatile packets dropped because their client had too much waiting").register(registry);
        // Socket.IO
        Gauge.builder("parley.namespaces", server, ParleyServer::namespaceCount)
                .description("namespaces that exist, the main one included").register(registry);
        Gauge.builder("parley.sockets", server, ParleyServer::socketCount)
                .description("sockets connected to a namespace now").register(registry);
        Gauge.builder("parley.rooms", server, ParleyServer::roomCount)
                .description("rooms on this node now, each socket's own room not counted").register(registry);
        counter("parley.socket.connects", ss, ServerStats::connects,
                "sockets that joined a namespace").register(registry);
        for (DisconnectReason r : DisconnectReason.values()) {
            counter("parley.socket.disconnects", ss, s -> s.disconnects(r),
                    "connected sockets that left, by disconnect reason").tag("reason", r.wire()).register(registry);
        }
        counter("parley.broadcasts", ss, ServerStats::broadcasts,
                "broadcasts emitted on this node (`to(...).emit`, `emitWithAck`)").register(registry);
        counter("parley.broadcast.deliveries", ss, ServerStats::deliveries,
                "packets the adapter handed to a socket on this node (a broadcast's fan-out; with recovery on, "
                + "a socket's own emits too)").register(registry);
        counter("parley.ack.timeouts", ss, ServerStats::ackTimeouts,
                "emits with acknowledgement whose timeout passed first").register(registry);
        counter("parley.recoveries", ss, ServerStats::recoveryHits,
                "connection state recovery: sockets that got their session back (hit) or a fresh one (miss)")
                .tag("outcome", "hit").register(registry);
        counter("parley.recoveries", ss, ServerStats::recoveryMisses,
                "connection state recovery: sockets that got their session back (hit) or a fresh one (miss)")
                .tag("outcome", "miss").register(registry);
        // the adapter (cluster)
        AdapterFactory adapters = server.options().adapterFactory();
        String adapter = adapters.health().adapter();
        for (AdapterHealth.State state : AdapterHealth.State.values()) {
            Gauge.builder("parley.adapter.state", adapters, f -> f.health().state() == state ? 1 : 0)
                    .description("the adapter's state: 1 for the state it is in now, 0 for the others (`memory` is "
                            + "always connected)").tag("adapter", adapter).tag("state", state.wire())
                    .register(registry);
        }
        AdapterRequests requests = adapters.requests();
        for (AdapterRequests.Type type : AdapterRequests.Type.values()) {
            for (AdapterRequests.Outcome outcome : AdapterRequests.Outcome.values()) {
                FunctionTimer.builder("parley.adapter.requests", requests, r -> r.count(type, outcome),
                                r -> r.totalNanos(type, outcome), TimeUnit.NANOSECONDS)
                        .description("requests to the other nodes of a cluster, from sent to every answer in, the "
                                + "timeout, or a failure (Redis unreachable, adapter closed), by type and outcome")
                        .tag("adapter", adapter).tag("type", type.tag()).tag("outcome", outcome.tag())
                        .register(registry);
            }
        }
    }

    private static <T> FunctionCounter.Builder<T> counter(String name, T source,
                                                          ToDoubleFunction<T> read, String description) {
        return FunctionCounter.builder(name, source, read).description(description);
    }
}
