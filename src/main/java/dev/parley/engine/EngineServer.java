package dev.parley.engine;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Engine.IO server, container-independent: it validates requests like the reference server
 * ({@link #verify}), opens sessions ({@link #handshake}) and keeps them by id. Usable alone for raw
 * Engine.IO messaging (like Node's {@code engine.io} package) or under Socket.IO.
 *
 * <p>One shared timer thread drives every session's heartbeat and timeouts.
 */
public final class EngineServer {

    private static final Logger LOG = Logger.getLogger(EngineServer.class.getName());
    private static final Base64.Encoder SID_ENCODING = Base64.getUrlEncoder().withoutPadding();

    private final EngineOptions options;
    private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledThreadPoolExecutor timer;
    private volatile Consumer<EngineSession> connectionHandler = s -> { };
    private volatile boolean closed;

    public EngineServer(EngineOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "parley-engine-timer");
            t.setDaemon(true);
            return t;
        });
        // Heartbeats are cancelled and rescheduled on every pong: drop cancelled tasks at once.
        timer.setRemoveOnCancelPolicy(true);
    }

    public EngineOptions options() {
        return options;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * Called with every new session before its open packet is flushed, so the handler can set the
     * session's listener without missing a message.
     */
    public void onConnection(Consumer<EngineSession> handler) {
        this.connectionHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Checks a request the way the reference server does.
     *
     * @param request   the request
     * @param upgrade   whether it is a WebSocket upgrade request
     * @return {@code null} when the request may proceed, else the error to answer with
     */
    public EngineError verify(EngineRequest request, boolean upgrade) {
        String transport = request.queryParam("transport");
        if (transport == null || !options.allows(transport)) {
            return EngineError.UNKNOWN_TRANSPORT;
        }
        if (upgrade != transport.equals(EngineOptions.WEBSOCKET)) {
            return EngineError.BAD_REQUEST;
        }
        String sid = request.queryParam("sid");
        if (sid != null) {
            EngineSession session = sessions.get(sid);
            if (session == null) {
                return EngineError.UNKNOWN_SID;
            }
            if (!upgrade && !transport.equals(session.transportName())) {
                return EngineError.BAD_REQUEST;
            }
            if (upgrade && (!session.transportName().equals(EngineOptions.POLLING) || session.isUpgrading())) {
                return EngineError.BAD_REQUEST;
            }
            return null;
        }
        if (!"GET".equals(request.method())) {
            return EngineError.BAD_HANDSHAKE_METHOD;
        }
        if (!"4".equals(request.queryParam("EIO"))) {
            return EngineError.UNSUPPORTED_PROTOCOL_VERSION;
        }
        return closed ? EngineError.FORBIDDEN : null;
    }

    /**
     * Opens a session on {@code transport} for a verified handshake request: registers it, tells the
     * connection handler, then flushes the open packet and starts the heartbeat.
     */
    public EngineSession handshake(EngineRequest request, Transport transport) {
        EngineSession session;
        do {
            session = new EngineSession(newSid(), this, request, transport);
        } while (sessions.putIfAbsent(session.id(), session) != null);
        try {
            connectionHandler.accept(session);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "connection handler failed", e);
        }
        session.start();
        return session;
    }

    /** The open session with this id, or {@code null}. */
    public EngineSession session(String sid) {
        return sid == null ? null : sessions.get(sid);
    }

    public int sessionCount() {
        return sessions.size();
    }

    void remove(EngineSession session) {
        sessions.remove(session.id(), session);
    }

    /** Closes every session ("server shutting down") and stops the timer. */
    public void close() {
        closed = true;
        List<EngineSession> all = new ArrayList<>(sessions.values());
        for (EngineSession s : all) {
            s.onClose(EngineCloseReason.SERVER_SHUTTING_DOWN, "server closed");
        }
        timer.shutdown();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
    }

    private String newSid() {
        byte[] bytes = new byte[16]; // 128 bits
        random.nextBytes(bytes);
        return SID_ENCODING.encodeToString(bytes);
    }
}
