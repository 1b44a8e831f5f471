package dev.parley.client;

import dev.parley.protocol.engineio.EnginePacket;
import java.io.IOException;
import java.util.List;

/**
 * How one {@link EngineSession}'s packets move: over a WebSocket ({@link WebSocketTransport}) or HTTP
 * long-polling ({@link PollingTransport}). A transport knows nothing of the session's state (heartbeat, upgrade,
 * reconnection); it hands what it reads to its {@link Sink} and writes what it is given.
 */
interface Transport {

    /** "websocket" or "polling", as Engine.IO names them. */
    String name();

    /** Whether {@link #write} may be called now (polling: no POST in flight). */
    boolean writable();

    /**
     * Writes packets in order. WebSocket: on the calling thread; polling: one POST started, {@link Sink#drained}
     * told when it completed.
     *
     * @throws IOException when the first packet could not be written (nothing went out)
     */
    void write(List<EnginePacket> packets) throws IOException;

    /** Stops without telling the sink (the session ended or moved to another transport). Idempotent. */
    void close();

    /** What a transport tells its session; called on the transport's reading threads. */
    interface Sink {
        void packet(Transport from, EnginePacket packet);

        /** A polling POST completed: the transport is writable again. */
        void drained(Transport from);

        /** The transport ended by itself ("transport close", "transport error"). */
        void closed(Transport from, String reason);
    }
}
