package dev.parley.engine;

import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.engineio.EnginePacketType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Engine.IO session: the state machine of the reference {@code engine.io} Socket. It owns the
 * write buffer, the heartbeat (a ping every pingInterval, closed when no pong follows within
 * pingTimeout) and the polling-to-WebSocket upgrade. Transports feed it packets through the
 * {@code on*} methods; applications send with {@link #send} and end it with {@link #close()}.
 *
 * <p>Thread-safe. One lock, the session's own monitor, guards the state, the write buffer and the
 * timer tasks (a lock object of its own was 16 bytes per connection; nothing outside this class is to
 * lock a session); while it
 * is held the session only decides: it changes state, queues packets and hands them to the transport
 * (whose {@link Transport#send} never waits on the network). Listener callbacks ({@code onMessage},
 * {@code onClose}) and the closing of transports run after the lock is released, so a listener may
 * call back into this session ({@link #send}, {@link #close()}) or any other. Methods named
 * {@code ...Locked} must be called with the lock held.
 */
public final class EngineSession {

    private static final Logger LOG = Logger.getLogger(EngineSession.class.getName());
    private static final long UPGRADE_CHECK_MILLIS = 100;

    /** Lifecycle of a session. */
    public enum State { OPENING, OPEN, CLOSING, CLOSED }

    private final String id;
    private final EngineServer server;
    private final EngineRequest request;
    private final long createdAt = System.currentTimeMillis();
    /** What the handshake guard attached, from the admission (which is not kept: 32 bytes per session). */
    private final Object attachment;
    /** The connection slot this session holds, by the limiter's key (see {@link #releaseSlot}). */
    private final String slotAddress;
    private final boolean holdsSlot;

    private volatile EngineSessionListener listener = EngineSessionListener.NONE;
    private volatile Transport transport;
    private volatile State state = State.OPENING;

    // Guarded by this session's monitor.
    /** Packets waiting for the transport: the shared empty list while none wait (most of an idle session's life). */
    private List<EncodedPacket> writeBuffer = List.of();
    private long bufferedBytes;
    private long droppedPackets;
    private boolean closePacketPending;
    private boolean flushScheduled;
    private Transport upgrading;
    private ScheduledFuture<?> pingTimeoutTask;
    private ScheduledFuture<?> upgradeTimeoutTask;
    private ScheduledFuture<?> upgradeCheckTask;
    private ScheduledFuture<?> closeTimeoutTask;
    /** Why the session ends once its last packets are out: {@link #close()}'s reason or {@link #shutdown()}'s. */
    private EngineCloseReason closingReason = EngineCloseReason.FORCED_CLOSE;
    private String closingDescription = "closed by the server";
    // When the next ping is due, as links of the engine's PingQueue (which guards them) rather than a
    // timer task of its own per session.
    EngineSession pingPrev;
    EngineSession pingNext;
    long pingAt;

    /**
     * @param admission the pass the connection was admitted with, whose slot the session holds when
     *                  {@code holdsSlot} ({@link Admission#handOver}, done once by the server)
     */
    EngineSession(String id, EngineServer server, EngineRequest request, Transport transport, Admission admission,
                  boolean holdsSlot) {
        this.id = id;
        this.attachment = admission.attachment();
        this.slotAddress = admission.address();
        this.holdsSlot = holdsSlot;
        this.server = server;
        // The engine's options, its timer and its outbound bound are the server's: asked of it when
        // needed rather than kept in fields of every session (12 bytes each, with the padding).
        EngineOptions options = server.options();
        this.request = request;
        this.transport = transport;
        List<String> upgrades = transport.name().equals(EngineOptions.POLLING) && options.allowUpgrades()
                ? List.of(EngineOptions.WEBSOCKET) : List.of();
        String open = EngineCodec.encodeOpen(id, upgrades, options.pingIntervalMillis(),
                options.pingTimeoutMillis(), options.maxPayload());
        // The open packet is buffered first, so anything sent while the connection is announced
        // to the application still goes out after it.
        writable().add(EncodedPacket.of(EnginePacket.of(EnginePacketType.OPEN, open.substring(1))));
    }

    /** Flushes the open packet and starts the heartbeat; called once by the server. */
    void start() {
        synchronized (this) {
            if (state != State.OPENING) {
                return;
            }
            state = State.OPEN;
            schedulePingLocked();
            flushLocked();
        }
    }

    /** The session id ({@code sid}), unguessable. */
    public String id() {
        return id;
    }

    /** The request that opened the session. */
    public EngineRequest request() {
        return request;
    }

    /** What the handshake guard attached to this session (the client's identity), or {@code null}. */
    public Object attachment() {
        return attachment;
    }

    /** Gives the connection slot back to {@code limiter}; called once, when the server forgets this session. */
    void releaseSlot(ConnectionLimiter limiter) {
        if (holdsSlot) {
            limiter.release(slotAddress);
        }
    }

    /** When the handshake happened, in epoch milliseconds. */
    public long createdAt() {
        return createdAt;
    }

    public State state() {
        return state;
    }

    /** The current transport's name ({@code polling} or {@code websocket}). */
    public String transportName() {
        return transport.name();
    }

    /** The transport currently carrying this session (the polling one until an upgrade completes). */
    public Transport transport() {
        return transport;
    }

    /** Sets who receives this session's messages and close. */
    public void setListener(EngineSessionListener listener) {
        this.listener = listener == null ? EngineSessionListener.NONE : listener;
    }

    /** Queues a packet for the client; dropped silently once the session is closing. */
    public void send(EnginePacket packet) {
        synchronized (this) {
            if (state != State.OPEN && state != State.OPENING) {
                return;
            }
            EncodedPacket encoded = EncodedPacket.of(packet);
            long size = admitLocked(List.of(encoded), false);
            if (size < 0) {
                return;
            }
            writable().add(encoded);
            bufferedBytes += size;
            flushSoonLocked(Delivery.NOW);
        }
    }

    /**
     * Queues packets that must go out together and in order (a Socket.IO packet and its
     * attachments), already encoded (the same list may go to many sessions). {@code delivery} is
     * passed on to the transport: {@link Delivery#BATCH} for one of the recipients of a broadcast.
     */
    public void sendAll(List<EncodedPacket> packets, Delivery delivery) {
        sendAll(packets, delivery, false);
    }

    /**
     * As {@link #sendAll(List, Delivery)}; with {@code droppable} (Socket.IO's volatile) the packets
     * are dropped, and counted ({@link #droppedPackets()}), when they would take this client over
     * its {@link OutboundBound}, instead of ending the session as non-volatile ones do.
     */
    public void sendAll(List<EncodedPacket> packets, Delivery delivery, boolean droppable) {
        synchronized (this) {
            if (state != State.OPEN && state != State.OPENING) {
                return;
            }
            long size = admitLocked(packets, droppable);
            if (size < 0) {
                return;
            }
            if (state == State.OPEN && writeBuffer.isEmpty() && !transport.gathersPackets() && transport.isWritable()) {
                transport.send(packets, delivery); // nothing waits before them: hand them over without a copy
                return;
            }
            writable().addAll(packets);
            bufferedBytes += size;
            flushSoonLocked(delivery);
        }
    }

    /** Bytes waiting for this client: its buffer and its transport's backlog ({@link OutboundBound#sizeOf}). */
    public long waitingBytes() {
        synchronized (this) {
            return bufferedBytes + transport.waitingBytes();
        }
    }

    /** Packets dropped because they were volatile and this client had too much waiting. */
    public long droppedPackets() {
        synchronized (this) {
            return droppedPackets;
        }
    }

    /**
     * Applies the session's {@link OutboundBound} to packets about to be queued: their size when they
     * may go (the caller counts it into the buffer if they wait there); -1 when they were dropped
     * (volatile) or the session is now closing as a slow consumer. The transport's own backlog counts too: on WebSocket that is where
     * a client that stopped reading piles up.
     */
    private long admitLocked(List<EncodedPacket> packets, boolean droppable) {
        long add = 0;
        for (EncodedPacket p : packets) {
            add += OutboundBound.sizeOf(p);
        }
        Transport t = transport;
        long waitingBytes = bufferedBytes + t.waitingBytes();
        long waitingPackets = writeBuffer.size() + t.waitingPackets();
        OutboundBound bound = server.options().outboundBound();
        switch (bound.decide(waitingBytes, waitingPackets, add, packets.size(), droppable)) {
            case SEND -> {
                server.stats().queued(packets.size(), add);
                return add;
            }
            case DROP -> {
                droppedPackets += packets.size();
                server.stats().dropped(packets.size());
                if (LOG.isLoggable(Level.FINEST)) {
                    LOG.finest("dropped a volatile packet for " + id + ": " + waitingBytes + " bytes in "
                            + waitingPackets + " packets waiting");
                }
                if (droppedPackets == packets.size()) { // the first drop of this session, not one line per packet
                    LOG.log(Level.FINE, "session {0} dropping volatile packets: {1} bytes in {2} packets waiting",
                            new Object[] {id, waitingBytes, waitingPackets});
                }
                return -1;
            }
            default -> {
                slowConsumerLocked(waitingBytes, waitingPackets);
                return -1;
            }
        }
    }

    /** The write buffer to add to (a list of its own once something waits). Holding lock. */
    private List<EncodedPacket> writable() {
        if (writeBuffer.isEmpty() && !(writeBuffer instanceof ArrayList)) {
            writeBuffer = new ArrayList<>();
        }
        return writeBuffer;
    }

    /**
     * The client did not take what was sent to it (a polling client that stopped polling, a
     * WebSocket client that stopped reading) and a non-volatile packet does not fit: the buffer is
     * dropped and the session ends as a slow consumer, on the timer, as the sender may be a listener
     * of this very session (its onClose must not run inside its send); the transport is cut there.
     */
    private void slowConsumerLocked(long waitingBytes, long waitingPackets) {
        LOG.log(Level.FINE, "slow consumer {0}: {1} bytes in {2} packets waiting, at most {3} bytes and {4} packets",
                new Object[] {id, waitingBytes, waitingPackets, server.options().outboundBound().maxBytes(),
                        server.options().outboundBound().maxPackets()});
        writeBuffer = List.of();
        bufferedBytes = 0;
        state = State.CLOSING;
        String description = "slow consumer: " + waitingBytes + " bytes in " + waitingPackets
                + " packets waiting for the client";
        try {
            server.timer().execute(() -> onClose(EngineCloseReason.SLOW_CONSUMER, description));
        } catch (RejectedExecutionException stopped) {
            // The server is stopping and closes every session itself.
        }
    }

    /**
     * Closes the session from the server side: what is buffered is still delivered (a polling
     * client receives a close packet after it), then the transport is closed.
     */
    public void close() {
        closeGracefully(EngineCloseReason.FORCED_CLOSE, "closed by the server");
    }

    /**
     * As {@link #close()}, for a server that is stopping: the session ends with
     * {@link EngineCloseReason#SERVER_SHUTTING_DOWN} once what is buffered is out. The client sees
     * its connection close (a close packet on polling, a close frame on WebSocket), never a
     * Socket.IO DISCONNECT, so socket.io-client reconnects. The server bounds the wait
     * ({@link EngineOptions#shutdownGraceMillis()}).
     */
    void shutdown() {
        closeGracefully(EngineCloseReason.SERVER_SHUTTING_DOWN, "server shutting down");
    }

    private void closeGracefully(EngineCloseReason reason, String description) {
        boolean finished;
        synchronized (this) {
            if (state != State.OPEN && state != State.OPENING) {
                return;
            }
            state = State.CLOSING;
            closingReason = reason;
            closingDescription = description;
            // A polling client gets a close packet, but in a poll of its own: the client acts on a
            // close packet at once and on messages a tick later, so a close sharing a payload with
            // the last messages (a DISCONNECT...) would overtake them. The reference does the same.
            closePacketPending = transport.name().equals(EngineOptions.POLLING);
            finished = flushLocked();
            if (!finished) {
                // A polling client that never polls again must not keep the session forever.
                closeTimeoutTask = server.timer().schedule(() -> onClose(reason, "close timeout"),
                        server.options().pingTimeoutMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (finished) {
            finishClosing();
        }
    }

    // ---------------------------------------------------------------- transport callbacks

    /** A packet arrived on {@code from}. Called in arrival order by each transport. */
    public void onPacket(Transport from, EnginePacket packet) {
        boolean deliver = false;
        boolean clientClosed = false;
        Runnable afterUpgradePacket = null;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            if (from == upgrading) {
                afterUpgradePacket = onUpgradePacketLocked(from, packet);
            } else if (from != transport) {
                return; // a late packet from a transport we upgraded away from
            } else {
                switch (packet.type()) {
                    case PONG -> {
                        cancel(pingTimeoutTask);
                        pingTimeoutTask = null;
                        schedulePingLocked();
                    }
                    case MESSAGE -> {
                        deliver = state == State.OPEN || state == State.CLOSING;
                        if (deliver) {
                            server.stats().received(OutboundBound.sizeOf(packet));
                        }
                    }
                    case CLOSE -> clientClosed = true; // ended below, outside the lock
                    default -> {
                        // PING from a v4 client, NOOP, UPGRADE on the active transport: nothing to do
                    }
                }
            }
        }
        if (afterUpgradePacket != null) {
            afterUpgradePacket.run();
        } else if (clientClosed) {
            onClose(EngineCloseReason.TRANSPORT_CLOSE, "client sent close packet");
        } else if (deliver) {
            try {
                listener.onMessage(this, packet);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "message listener failed for session " + id, e);
            }
        }
    }

    /** The transport can take data now (a poll arrived): flush what is buffered. */
    public void onDrain(Transport t) {
        boolean finished;
        synchronized (this) {
            finished = t == transport && flushLocked();
        }
        if (finished) {
            finishClosing();
        }
    }

    /** The transport's connection ended. */
    public void onTransportClose(Transport t, String description) {
        if (dropUpgradingTransport(t)) {
            return;
        }
        if (t == transport) {
            onClose(EngineCloseReason.TRANSPORT_CLOSE, description);
        }
    }

    /** The transport failed or the client broke its rules. */
    public void onTransportError(Transport t, String description) {
        if (dropUpgradingTransport(t)) {
            return;
        }
        if (t == transport) {
            onClose(EngineCloseReason.TRANSPORT_ERROR, description);
        }
    }

    /** The client sent bytes that do not decode: the session ends with {@code parse error}. */
    public void onParseError(Transport t, String description) {
        if (dropUpgradingTransport(t)) {
            return;
        }
        if (t == transport) {
            onClose(EngineCloseReason.PARSE_ERROR, description);
        }
    }

    // ---------------------------------------------------------------- upgrade

    /**
     * Starts probing a WebSocket for this polling session. Refused (false) when the session is not
     * open on polling or another upgrade is in progress.
     */
    public boolean beginUpgrade(Transport webSocket) {
        synchronized (this) {
            if (state != State.OPEN || upgrading != null || !transport.name().equals(EngineOptions.POLLING)
                    || !server.options().allowUpgrades()) {
                return false;
            }
            upgrading = webSocket;
            upgradeTimeoutTask = server.timer().schedule(() -> {
                Transport stale = null;
                synchronized (this) {
                    if (upgrading == webSocket) {
                        stale = upgrading;
                        upgrading = null;
                        cancel(upgradeCheckTask);
                    }
                }
                if (stale != null) {
                    stale.close(false);
                }
            }, server.options().upgradeTimeoutMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
    }

    /** Whether a WebSocket is probing this session right now. */
    public boolean isUpgrading() {
        synchronized (this) {
            return upgrading != null;
        }
    }

    /**
     * A packet on the WebSocket being probed. Returns what must happen once the lock is released
     * (closing or releasing a transport), or {@code null}.
     */
    private Runnable onUpgradePacketLocked(Transport ws, EnginePacket packet) {
        if (packet.type() == EnginePacketType.PING && "probe".equals(packet.text())) {
            ws.send(List.of(EncodedPacket.PONG_PROBE), Delivery.NOW);
            // The client pauses polling until its current poll returns: end waiting polls with a noop,
            // checked every 100 ms as the reference server does, so frames already sent on the
            // WebSocket (the UPGRADE packet) usually win over a poll that raced them.
            cancel(upgradeCheckTask);
            upgradeCheckTask = server.timer().scheduleWithFixedDelay(this::endWaitingPoll, UPGRADE_CHECK_MILLIS,
                    UPGRADE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            return null;
        }
        upgrading = null;
        cancel(upgradeTimeoutTask);
        cancel(upgradeCheckTask);
        if (packet.type() == EnginePacketType.UPGRADE && state == State.OPEN) {
            Transport old = transport;
            transport = ws;
            server.stats().upgraded();
            flushLocked(); // OPEN: never finishes the session
            return () -> {
                old.discard();
                upgraded(ws.name());
            };
        }
        return () -> ws.close(false);
    }

    /** Tells the listener of a completed upgrade, outside the lock as every listener call. */
    private void upgraded(String transportName) {
        try {
            listener.onUpgrade(this, transportName);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "upgrade listener failed for session " + id, e);
        }
    }

    private boolean dropUpgradingTransport(Transport t) {
        synchronized (this) {
            if (t != upgrading || t == null) {
                return false;
            }
            upgrading = null;
            cancel(upgradeTimeoutTask);
            cancel(upgradeCheckTask);
            return true;
        }
    }

    private void endWaitingPoll() {
        synchronized (this) {
            if (upgrading != null && state == State.OPEN && transport.isWritable() && writeBuffer.isEmpty()) {
                transport.send(List.of(EncodedPacket.NOOP), Delivery.NOW); // the transport writes it off this thread
            }
        }
    }

    // ---------------------------------------------------------------- internals

    private void flushSoonLocked(Delivery delivery) {
        // On a transport where each send is a whole response (polling), a broadcast stream would
        // otherwise answer every poll with one packet: flushing on the timer thread lets the packets
        // sent meanwhile share the response. (The timer only hands them over; polling writes the
        // response on a container thread.)
        if (!transport.gathersPackets()) {
            flushLocked(delivery); // OPEN or OPENING: never finishes the session
        } else if (!flushScheduled && transport.isWritable()) {
            flushScheduled = true;
            try {
                server.timer().execute(this::scheduledFlush);
            } catch (RejectedExecutionException stopped) {
                flushScheduled = false;
                flushLocked();
            }
        }
    }

    private void scheduledFlush() {
        boolean finished;
        synchronized (this) {
            flushScheduled = false;
            finished = flushLocked();
        }
        if (finished) {
            finishClosing();
        }
    }

    /**
     * Hands what is buffered to the transport if it can take it, with {@link Delivery#NOW}. Returns
     * true when the session is closing and everything (the close packet included) is out: the caller
     * then calls {@link #finishClosing()} once it has released the lock.
     */
    private boolean flushLocked() {
        return flushLocked(Delivery.NOW);
    }

    /** As {@link #flushLocked()}, the buffered packets handed over with {@code delivery}. */
    private boolean flushLocked(Delivery delivery) {
        if (!writeBuffer.isEmpty() && transport.isWritable()) {
            List<EncodedPacket> batch = writeBuffer;
            writeBuffer = List.of();
            bufferedBytes = 0;
            transport.send(batch, delivery);
        }
        if (state == State.CLOSING && writeBuffer.isEmpty() && closePacketPending) {
            if (!transport.isWritable()) {
                return false; // the next poll takes the close packet
            }
            closePacketPending = false;
            transport.send(List.of(EncodedPacket.CLOSE), Delivery.NOW);
        }
        return state == State.CLOSING && writeBuffer.isEmpty();
    }

    /**
     * Ends a session whose last packets are out. On the timer rather than the caller's thread: the
     * caller may be a listener of this session inside {@link #close()}, and its onClose must not run
     * inside that call.
     */
    private void finishClosing() {
        EngineCloseReason reason;
        String description;
        synchronized (this) {
            reason = closingReason;
            description = closingDescription;
        }
        try {
            server.timer().execute(() -> onClose(reason, description));
        } catch (RejectedExecutionException stopped) {
            onClose(EngineCloseReason.SERVER_SHUTTING_DOWN, "server closed");
        }
    }

    private void schedulePingLocked() {
        server.pings().schedule(this);
    }

    /** The ping interval is over: sends a ping (the {@link PingQueue} calls this, without its lock held). */
    void pingDue() {
        sendPing();
    }

    private void sendPing() {
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            cancel(pingTimeoutTask);
            pingTimeoutTask = server.timer().schedule(() -> onClose(EngineCloseReason.PING_TIMEOUT, "no pong"),
                    server.options().pingTimeoutMillis(), TimeUnit.MILLISECONDS);
            writable().add(EncodedPacket.PING);
            flushLocked(); // OPEN: never finishes the session
        }
    }

    /** Ends the session now, for the given reason; idempotent. */
    void onClose(EngineCloseReason reason, String description) {
        Transport current;
        Transport probing;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            server.pings().cancel(this);
            cancel(pingTimeoutTask);
            cancel(upgradeTimeoutTask);
            cancel(upgradeCheckTask);
            cancel(closeTimeoutTask);
            writeBuffer = List.of();
            current = transport;
            probing = upgrading;
            upgrading = null;
        }
        server.stats().closed(reason);
        LOG.fine(() -> "session " + id + " (" + current.name() + ") closed: " + reason.wire()
                + (description == null ? "" : " (" + description + ")"));
        // A polling client whose poll is waiting learns of the end from a noop (it closed itself)
        // or a close packet (the server closed it). The transport is closed before the id is
        // forgotten, so a poll arriving meanwhile finds either the session or the closed transport.
        if (reason == EngineCloseReason.SLOW_CONSUMER) {
            current.abort(EngineCloseReason.SLOW_CONSUMER);
        } else {
            current.close(reason != EngineCloseReason.TRANSPORT_CLOSE);
        }
        server.remove(this);
        if (probing != null) {
            probing.close(false);
        }
        try {
            listener.onClose(this, reason, description);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "close listener failed for session " + id, e);
        }
    }

    /**
     * Whether nothing of this session is left to deliver: it is closed and so is its last transport
     * (a WebSocket closes once its queued frames are written).
     */
    boolean isFinished() {
        return state == State.CLOSED && transport.isClosed();
    }

    /** Ends the session now and drops its transport's connection, written or not (the grace is over). */
    void abort() {
        onClose(EngineCloseReason.SERVER_SHUTTING_DOWN, "server shutting down: grace period over");
        transport.abort(EngineCloseReason.SERVER_SHUTTING_DOWN);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "EngineSession[" + id + ", " + transport.name() + ", " + state + "]";
    }
}
