package dev.parley.client;

import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.engineio.EnginePacketType;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketDecoder;
import dev.parley.protocol.socketio.SocketPacketEncoder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Engine.IO session, whatever carries it: the OPEN packet (sid, upgrades, ping timings), the heartbeat
 * deadline (no PING for pingInterval + pingTimeout: "ping timeout"), PING answered with PONG, CLOSE ("transport
 * close"), MESSAGE decoded into Socket.IO packets, and the move from polling to WebSocket ({@link #upgrade}) as
 * engine.io-client makes it: probe ({@code 2probe}/{@code 3probe}), polling paused once its requests completed,
 * UPGRADE, then what was gathered meanwhile flushed on the WebSocket, in order. Writes gather in a buffer while a
 * polling POST is in flight or the upgrade pauses; nothing is lost or reordered across the switch.
 * A reconnection makes a new session, so a late callback of an old transport cannot be taken for the new one's.
 */
final class EngineSession implements Transport.Sink {

    private static final Logger LOG = Logger.getLogger(EngineSession.class.getName());

    /** What the session needs of its client. */
    interface Owner {
        ScheduledExecutorService timer();

        void socketIo(EngineSession session, SocketPacket packet);

        /** The session ended without {@link #shut()}. */
        void lost(EngineSession session, String reason);

        /** A WebSocket probe failed: the session stays on polling. */
        void upgradeFailed(String why);

        /** Opens a WebSocket (blocking up to the connect timeout). */
        WebSocketTransport openWebSocket(URI uri, Transport.Sink sink) throws IOException;
    }

    private final Owner owner;
    private final long connectTimeoutMillis;
    private final SocketPacketDecoder decoder = new SocketPacketDecoder(64);
    private final CompletableFuture<String> opened = new CompletableFuture<>();
    /** One write at a time; guards transport (written), writeBuffer and paused. */
    private final Object sendLock = new Object();
    private final List<EnginePacket> writeBuffer = new ArrayList<>();
    /** Guards heartbeat. */
    private final Object heartbeatLock = new Object();
    private volatile Transport transport;
    private boolean paused;
    private volatile boolean ended;
    private volatile long pingInterval;
    private volatile long pingTimeout;
    /** The server's largest accepted POST body in bytes, from its OPEN packet; 0: not given. */
    private volatile long maxPayload;
    private volatile List<String> upgrades = List.of();
    private volatile WebSocketTransport probe;
    /** The WebSocket was refused when this session opened: no probe will try it again. */
    private volatile boolean fellBack;
    private ScheduledFuture<?> heartbeat;
    /** Set under the client's lock once the session ended. */
    boolean down;

    EngineSession(Owner owner, long connectTimeoutMillis) {
        this.owner = owner;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** Completes with the sid once the OPEN packet came; fails when the transport ended first. */
    CompletableFuture<String> opened() {
        return opened;
    }

    /** The transport the session runs on now. */
    void use(Transport t) {
        synchronized (sendLock) {
            transport = t;
        }
    }

    /** "websocket" or "polling". */
    String transportName() {
        Transport t = transport;
        return t == null ? null : t.name();
    }

    void fellBack() {
        fellBack = true;
    }

    boolean hasFallenBack() {
        return fellBack;
    }

    /** The upgrades the server offered in its OPEN packet. */
    List<String> upgrades() {
        return upgrades;
    }

    boolean isOpen() {
        return !ended && opened.isDone() && !opened.isCompletedExceptionally();
    }

    /**
     * Writes a Socket.IO packet (and its attachments).
     *
     * @return false when nothing was written (session ended, or the WebSocket refused the first frame)
     */
    boolean send(SocketPacket packet) {
        List<EnginePacket> frames = new ArrayList<>(1 + packet.attachments().size());
        frames.add(EnginePacket.message(SocketPacketEncoder.encode(packet)));
        for (byte[] a : packet.attachments()) {
            frames.add(EnginePacket.binary(a));
        }
        return write(frames);
    }

    private boolean write(List<EnginePacket> frames) {
        synchronized (sendLock) {
            if (ended) {
                return false;
            }
            Transport t = transport;
            if (!paused && writeBuffer.isEmpty() && t instanceof WebSocketTransport) {
                try {
                    t.write(frames);
                    return true;
                } catch (IOException e) {
                    LOG.log(Level.FINE, "send failed", e);
                    return false;
                }
            }
            writeBuffer.addAll(frames);
            flushLocked();
            return true;
        }
    }

    /** Under sendLock: hands what was gathered to the transport if it can take it now. */
    private void flushLocked() {
        Transport t = transport;
        if (paused || writeBuffer.isEmpty() || t == null || !t.writable()) {
            return;
        }
        List<EnginePacket> batch;
        if (t instanceof PollingTransport && maxPayload > 0) {
            batch = takePayloadLocked();
        } else {
            batch = new ArrayList<>(writeBuffer);
            writeBuffer.clear();
        }
        try {
            t.write(batch);
        } catch (IOException e) {
            // the transport is ending: its end is reported on its own
            LOG.log(Level.FINE, "send failed", e);
        }
    }

    /**
     * Under sendLock: the first packets of the buffer whose payload stays within the server's {@code maxPayload}
     * (at least one), as engine.io-client; the rest waits for the next POST. A bigger POST would be refused and
     * the connection lost with everything in it (e.g. a send buffer flushed after a reconnection).
     */
    private List<EnginePacket> takePayloadLocked() {
        long size = 0;
        int n = 0;
        for (EnginePacket p : writeBuffer) {
            // its encoded form in the payload, and the record separator before the next one
            long bytes = EngineCodec.encodePayload(List.of(p)).getBytes(StandardCharsets.UTF_8).length + 1;
            if (n > 0 && size + bytes > maxPayload) {
                break;
            }
            size += bytes;
            n++;
        }
        List<EnginePacket> head = writeBuffer.subList(0, n);
        List<EnginePacket> batch = new ArrayList<>(head);
        head.clear();
        return batch;
    }

    void stopHeartbeat() {
        synchronized (heartbeatLock) {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
        }
    }

    /**
     * Stops the heartbeat and the transports (polling: a CLOSE packet tells the server); idempotent. Completes when
     * the polling requests in flight ended (at once for a WebSocket).
     */
    CompletableFuture<Void> shut() {
        ended = true;
        stopHeartbeat();
        WebSocketTransport p = probe;
        if (p != null) {
            p.close();
        }
        Transport t;
        synchronized (sendLock) {
            t = transport;
        }
        if (t instanceof PollingTransport polling) {
            return polling.closeSession();
        }
        if (t != null) {
            t.close();
        }
        return CompletableFuture.completedFuture(null);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public void packet(Transport from, EnginePacket p) {
        if (ended) {
            return;
        }
        switch (p.type()) {
            case OPEN -> open(p.text());
            case PING -> {
                write(List.of(EnginePacket.PONG));
                armHeartbeat();
            }
            case MESSAGE -> {
                SocketPacket packet;
                try {
                    synchronized (decoder) {
                        packet = p.isBinary() ? decoder.decodeBinary(p.binary()) : decoder.decodeText(p.text());
                    }
                } catch (MalformedPacketException e) {
                    LOG.warning("server sent a malformed Socket.IO packet: " + e.getMessage());
                    owner.lost(this, "parse error");
                    return;
                }
                if (packet != null) {
                    owner.socketIo(this, packet);
                }
            }
            case CLOSE -> owner.lost(this, "transport close");
            default -> {
                // PONG, NOOP, UPGRADE: nothing for a client
            }
        }
    }

    @Override
    public void drained(Transport from) {
        synchronized (sendLock) {
            if (from == transport) {
                flushLocked();
            }
        }
    }

    @Override
    public void closed(Transport from, String reason) {
        if (from != transport) {
            return; // a transport left behind by an upgrade
        }
        opened.completeExceptionally(new IOException("closed: " + reason));
        owner.lost(this, reason);
    }

    /** Reads the OPEN packet's JSON; returns the sid. */
    String open(String json) {
        try (JsonReader reader = Jsonp.PROVIDER.createReader(new StringReader(json))) {
            JsonObject open = reader.readObject();
            pingInterval = open.getJsonNumber("pingInterval").longValue();
            pingTimeout = open.getJsonNumber("pingTimeout").longValue();
            JsonNumber max = open.getJsonNumber("maxPayload");
            maxPayload = max == null ? 0 : max.longValue();
            List<String> ups = new ArrayList<>();
            for (JsonValue v : open.getJsonArray("upgrades") == null ? List.<JsonValue>of()
                    : open.getJsonArray("upgrades")) {
                ups.add(((JsonString) v).getString());
            }
            upgrades = List.copyOf(ups);
            armHeartbeat();
            String sid = open.getString("sid");
            opened.complete(sid);
            return sid;
        } catch (RuntimeException e) {
            opened.completeExceptionally(e);
            return null;
        }
    }

    /** The server pings every pingInterval; silence for pingInterval + pingTimeout means it is gone. */
    private void armHeartbeat() {
        synchronized (heartbeatLock) {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            ScheduledExecutorService timer = owner.timer();
            if (!timer.isShutdown()) {
                heartbeat = timer.schedule(() -> {
                    LOG.fine("no ping from the server");
                    owner.lost(this, "ping timeout");
                }, pingInterval + pingTimeout, TimeUnit.MILLISECONDS);
            }
        }
    }

    // ---------------------------------------------------------------- upgrade

    /**
     * Moves this polling session to a WebSocket at {@code uri} (blocking: run it on its own thread). A probe that
     * fails leaves the session on polling and is told to {@link Owner#upgradeFailed}.
     */
    void upgrade(URI uri) {
        CompletableFuture<Void> pong = new CompletableFuture<>();
        Transport.Sink probeSink = new Transport.Sink() {
            @Override
            public void packet(Transport from, EnginePacket p) {
                if (p.type() == EnginePacketType.PONG && "probe".equals(p.text())) {
                    pong.complete(null);
                }
            }

            @Override
            public void drained(Transport from) {
            }

            @Override
            public void closed(Transport from, String reason) {
                pong.completeExceptionally(new IOException("probe websocket closed: " + reason));
            }
        };
        WebSocketTransport ws;
        try {
            ws = owner.openWebSocket(uri, probeSink);
        } catch (IOException e) {
            if (!ended) {
                owner.upgradeFailed("websocket probe failed, staying on polling: " + e.getMessage());
            }
            return;
        }
        probe = ws;
        if (ended) {
            ws.close();
            return;
        }
        try {
            ws.write(List.of(EnginePacket.PING_PROBE));
            pong.get(connectTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            probe = null;
            ws.close();
            if (!ended) {
                owner.upgradeFailed("websocket probe failed, staying on polling: "
                        + (e instanceof TimeoutException ? "no 3probe within " + connectTimeoutMillis + " ms"
                        : e.getMessage()));
            }
            return;
        } catch (InterruptedException e) {
            probe = null;
            ws.close();
            Thread.currentThread().interrupt();
            return;
        }
        PollingTransport polling;
        synchronized (sendLock) {
            if (ended || !(transport instanceof PollingTransport)) {
                ws.close();
                return;
            }
            polling = (PollingTransport) transport;
            paused = true; // what is written from now on waits for the WebSocket
        }
        polling.pause(() -> switchTo(ws, polling));
    }

    /** Polling is idle: send UPGRADE on the WebSocket, make it the transport, flush what waited. */
    private void switchTo(WebSocketTransport ws, PollingTransport polling) {
        boolean failed = false;
        synchronized (sendLock) {
            if (ended) {
                ws.close();
                return;
            }
            ws.sink(this);
            transport = ws;
            probe = null;
            try {
                ws.write(List.of(EnginePacket.UPGRADE));
            } catch (IOException e) {
                LOG.log(Level.FINE, "upgrade failed", e);
                failed = true;
            }
            paused = false;
            if (!failed) {
                flushLocked();
            }
        }
        polling.close();
        if (failed) {
            owner.lost(this, "transport close");
        }
    }
}
