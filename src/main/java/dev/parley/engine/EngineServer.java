package dev.parley.engine;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Engine.IO server, container-independent: it judges requests like the reference server
 * ({@link #admit(EngineRequest, boolean)}), opens sessions ({@link #handshake}) and keeps them by id. Usable alone for raw
 * Engine.IO messaging (like Node's {@code engine.io} package) or under Socket.IO.
 *
 * <p>Every request gets one {@link Verdict} from {@link #admit(EngineRequest, boolean)} (origin,
 * protocol, then for a new connection limits and the {@link HandshakeGuard}) while it is being
 * handled; transports only translate it. An admitted connection then opens with {@link #handshake}.
 * One timer thread ({@code parley-timer}) drives every session's heartbeat and timeouts; the
 * Socket.IO layer above schedules its own deadlines on it too ({@link #schedule}), so a server has
 * exactly one. Its tasks are short: they change state and queue packets, never wait on the network.
 */
public final class EngineServer {

    private static final Logger LOG = Logger.getLogger(EngineServer.class.getName());
    private static final Base64.Encoder SID_ENCODING = Base64.getUrlEncoder().withoutPadding();
    /** One instance (a refusal has no stack trace), so a handshake refused for its origin is told apart. */
    private static final EngineRefusal ORIGIN_REFUSAL = EngineRefusal.originNotAllowed();

    private final EngineOptions options;
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledThreadPoolExecutor timer;
    private final PingQueue pings;
    private final OriginPolicy origins;
    private final ConnectionLimiter limiter;
    private final EngineStats stats = new EngineStats();
    private volatile Consumer<EngineSession> connectionHandler = s -> { };
    private volatile HandshakeGuard guard = HandshakeGuard.OPEN;
    private volatile boolean closed;

    public EngineServer(EngineOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "parley-timer");
            t.setDaemon(true);
            return t;
        });
        // Ping timeouts are cancelled on every pong: drop cancelled tasks at once.
        timer.setRemoveOnCancelPolicy(true);
        // Once stopped, a deadline still pending (an ack timeout, a token expiry) is dropped rather
        // than kept waiting for: its session is gone.
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.pings = new PingQueue(timer, options.pingIntervalMillis());
        this.origins = new OriginPolicy(options.allowedOrigins());
        this.limiter = new ConnectionLimiter(options);
        if (options.handshakeRatePerAddress() > 0) {
            timer.scheduleWithFixedDelay(limiter::sweep, 60, 60, TimeUnit.SECONDS);
        }
    }

    public EngineOptions options() {
        return options;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** When the sessions send their next ping. */
    PingQueue pings() {
        return pings;
    }

    /**
     * Runs {@code task} once on the engine's timer thread after {@code delayMillis}: for a
     * transport's per-request deadline or a Socket.IO timeout, without a thread of its own. The task
     * must be short and must not block (no waiting on the network): every session's heartbeat waits
     * behind it.
     *
     * @throws java.util.concurrent.RejectedExecutionException once the server is closed
     */
    public ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Called with every new session before its open packet is flushed, so the handler can set the
     * session's listener without missing a message.
     */
    public void onConnection(Consumer<EngineSession> handler) {
        this.connectionHandler = Objects.requireNonNull(handler, "handler");
    }

    /** Sets who decides whether a new connection may open (authentication). */
    public void guard(HandshakeGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /** The origin rule of these options, for transports that answer CORS. */
    public OriginPolicy originPolicy() {
        return origins;
    }

    /**
     * Judges a request in the order of the reference server, and for a new connection admits it:
     * <ol>
     *   <li>the Origin ({@link OriginPolicy}): {@link Verdict.Refused} 403;</li>
     *   <li>the protocol (transport, {@code sid}, method, {@code EIO}): {@link Verdict.ProtocolError};
     *       a known {@code sid} gives {@link Verdict.Existing};</li>
     *   <li>for a handshake (no {@code sid}), the limits, then the {@link HandshakeGuard}: limits
     *       first because they are cheap and stop a flood before it reaches the authenticator;
     *       {@link Verdict.Refused} with the refusal's status, or {@link Verdict.Admitted}.</li>
     * </ol>
     * Call it while the request is being handled (the guard may ask the container's user). An
     * {@link Verdict.Admitted} verdict holds a connection slot: spend it with
     * {@link #handshake(EngineRequest, Transport, Admission)} or {@linkplain Verdict#release()
     * release} it.
     *
     * <p>A request without a remote address (a WebSocket upgrade on a container that does not tell
     * it yet, Undertow's {@code HandshakeRequest}) skips the address binding of a {@code sid}: the
     * transport asks again with {@link EngineRequest#withRemoteAddress} once it knows the address.
     *
     * @param request the request
     * @param upgrade whether it is a WebSocket upgrade request
     */
    public Verdict admit(EngineRequest request, boolean upgrade) {
        Verdict verdict = judge(request, upgrade);
        if (request.queryParam("sid") == null) { // a handshake: counted once, by how it ended
            if (verdict instanceof Verdict.Refused r) {
                stats.handshake(r.refusal() == ORIGIN_REFUSAL ? HandshakeOutcome.ORIGIN : HandshakeOutcome.of(r.refusal()));
            } else if (verdict instanceof Verdict.ProtocolError e) {
                stats.handshake(e.error() == EngineError.FORBIDDEN ? HandshakeOutcome.SHUTTING_DOWN
                        : HandshakeOutcome.PROTOCOL_ERROR);
            } // accepted ones are counted when their session opens (handshake)
        }
        return verdict;
    }

    private Verdict judge(EngineRequest request, boolean upgrade) {
        if (!origins.allows(request.header("Origin"), request.header("Host"))) {
            return new Verdict.Refused(ORIGIN_REFUSAL);
        }
        String transport = request.queryParam("transport");
        if (transport == null || !options.allows(transport)) {
            return new Verdict.ProtocolError(EngineError.UNKNOWN_TRANSPORT);
        }
        if (upgrade != transport.equals(EngineOptions.WEBSOCKET)) {
            return new Verdict.ProtocolError(EngineError.BAD_REQUEST);
        }
        String sid = request.queryParam("sid");
        if (sid != null) {
            return existing(request, sid, transport, upgrade);
        }
        if (!"GET".equals(request.method())) {
            return new Verdict.ProtocolError(EngineError.BAD_HANDSHAKE_METHOD);
        }
        if (!"4".equals(request.queryParam("EIO"))) {
            return new Verdict.ProtocolError(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
        }
        if (closed) {
            return new Verdict.ProtocolError(EngineError.FORBIDDEN);
        }
        try {
            return new Verdict.Admitted(admission(request));
        } catch (EngineRefusal refused) {
            return new Verdict.Refused(refused);
        }
    }

    private Verdict existing(EngineRequest request, String sid, String transport, boolean upgrade) {
        EngineSession session = sessions.get(sid);
        if (session == null) {
            return new Verdict.ProtocolError(EngineError.UNKNOWN_SID);
        }
        if (options.bindSessionToAddress() && request.remoteAddress() != null
                && !Objects.equals(session.request().remoteAddress(), request.remoteAddress())) {
            // Answered like an unknown id: a stolen sid tells its thief nothing.
            return new Verdict.ProtocolError(EngineError.UNKNOWN_SID);
        }
        if (!upgrade && !transport.equals(session.transportName())) {
            return new Verdict.ProtocolError(EngineError.BAD_REQUEST);
        }
        if (upgrade && (!session.transportName().equals(EngineOptions.POLLING) || session.isUpgrading())) {
            return new Verdict.ProtocolError(EngineError.BAD_REQUEST);
        }
        return new Verdict.Existing(session);
    }

    /** Takes a connection slot, then asks the guard; the slot is given back if the guard refuses. */
    private Admission admission(EngineRequest request) throws EngineRefusal {
        String address = request.remoteAddress();
        limiter.acquire(address);
        Object attachment;
        try {
            attachment = guard.admit(request);
        } catch (EngineRefusal refused) {
            limiter.release(address);
            throw refused;
        } catch (RuntimeException e) {
            limiter.release(address);
            LOG.log(Level.WARNING, "handshake guard failed", e);
            throw new EngineRefusal(500, "authentication failed");
        }
        return new Admission(limiter, address, attachment);
    }

    /** Open sessions counted against {@link EngineOptions#maxConnections()}. */
    public int admittedCount() {
        return limiter.openCount();
    }

    /**
     * Opens a session on {@code transport} for a verified and admitted handshake request: registers
     * it, tells the connection handler, then flushes the open packet and starts the heartbeat.
     */
    public EngineSession handshake(EngineRequest request, Transport transport, Admission admission) {
        EngineSession session;
        boolean holdsSlot = admission.handOver(); // the session gives the slot back when it ends
        do {
            session = new EngineSession(newSid(), this, request, transport, admission, holdsSlot);
        } while (sessions.putIfAbsent(session.id(), session) != null);
        stats.handshake(HandshakeOutcome.ACCEPTED);
        try {
            connectionHandler.accept(session);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection handler failed", e);
        }
        session.start();
        return session;
    }

    /**
     * Admits a handshake request without judging its protocol (limits and guard only) and opens
     * its session, for raw engine use and tests.
     *
     * @throws IllegalStateException when the request is refused
     */
    public EngineSession handshake(EngineRequest request, Transport transport) {
        try {
            return handshake(request, transport, admission(request));
        } catch (EngineRefusal refused) {
            throw new IllegalStateException("handshake refused: " + refused.getMessage(), refused);
        }
    }

    /** The open session with this id, or {@code null}. */
    public EngineSession session(String sid) {
        return sid == null ? null : sessions.get(sid);
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** What this server has counted since it started (handshakes, packets, closes...). */
    public EngineStats stats() {
        return stats;
    }

    /**
     * Open sessions whose current transport is {@code transport} ({@code polling} or
     * {@code websocket}); computed when called (a walk over the sessions), for gauges read now and
     * then, not for a hot path.
     */
    public long sessionsOn(String transport) {
        long n = 0;
        for (EngineSession s : sessions.values()) {
            if (s.transportName().equals(transport)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Bytes waiting for clients in every open session (its buffer and its transport's backlog,
     * as {@link OutboundBound#sizeOf} counts them); computed when called, as {@link #sessionsOn}.
     */
    public long waitingBytes() {
        long n = 0;
        for (EngineSession s : sessions.values()) {
            n += s.waitingBytes();
        }
        return n;
    }

    void remove(EngineSession session) {
        if (sessions.remove(session.id(), session)) {
            session.releaseSlot(limiter);
        }
    }

    /**
     * Refuses new connections from now on (a handshake is answered {@code Forbidden}); the open
     * sessions carry on until {@link #close()}. Idempotent.
     */
    public void stopAccepting() {
        closed = true;
    }

    /**
     * Stops the server gracefully, on the calling thread: refuses new connections, then ends every
     * session as {@link EngineCloseReason#SERVER_SHUTTING_DOWN} after what is buffered for it is
     * delivered (a polling client's waiting or next poll gets it, then a close packet; a WebSocket
     * writes its queued frames, then closes). Whatever is not done within
     * {@link EngineOptions#shutdownGraceMillis()} is closed regardless, its undelivered packets
     * dropped. Then the timer stops; no Parley thread is left. Returns within the grace plus a
     * moment. Idempotent.
     */
    public void close() {
        closed = true;
        List<EngineSession> all = new ArrayList<>(sessions.values());
        for (EngineSession s : all) {
            s.shutdown();
        }
        ShutdownWait.until(() -> all.stream().allMatch(EngineSession::isFinished), options.shutdownGraceMillis());
        int aborted = 0;
        for (EngineSession s : all) {
            if (!s.isFinished()) {
                aborted++;
                s.abort();
            }
        }
        for (EngineSession s : new ArrayList<>(sessions.values())) {
            s.abort(); // opened while closing (a handshake already admitted)
        }
        if (aborted > 0) {
            int n = aborted;
            LOG.info(() -> n + " of " + all.size() + " sessions still had undelivered data after the "
                    + options.shutdownGraceMillis() + " ms shutdown grace: closed regardless");
        }
        timer.shutdown();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
    }

    /** Whether {@link #close()} has finished: the timer's thread ended and no task is left on it. */
    public boolean isStopped() {
        return timer.isTerminated();
    }

    private String newSid() {
        byte[] bytes = new byte[16]; // 128 bits
        random.nextBytes(bytes);
        return SID_ENCODING.encodeToString(bytes);
    }
}
