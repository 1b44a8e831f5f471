package dev.parley.bench.floor;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The floor of a container (run.sh's servers {@code wildfly-floor} and {@code payara-floor}): the
 * benchmark contract on a plain Jakarta WebSocket endpoint, portable API only, no Parley in the WAR.
 * It speaks what the load generator needs and nothing more, like the peers' RawTyrusPeer: the open
 * packet, the namespace connect, server pings every 25 s, {@code echo} acks and {@code bench}
 * broadcasts to every client that connected to the namespace. No polling, no binary, no parser beyond
 * prefix checks. What Parley's WAR costs on top of the container is measured against this.
 *
 * <p>Sends are portable: one {@code getAsyncRemote().sendText} in flight per session (the API allows
 * no more), the rest queued, as Parley's WebSocket transport does. A broadcast is a loop over the room.
 */
@ServerEndpoint("/socket.io/")
public class FloorEndpoint {

    private static final int MAX_PAYLOAD = 1_000_000;
    private static final long PING_INTERVAL_MS = 25_000;
    private static final String OPEN_SUFFIX = "\",\"upgrades\":[],\"pingInterval\":" + PING_INTERVAL_MS
            + ",\"pingTimeout\":20000,\"maxPayload\":" + MAX_PAYLOAD + "}";

    /** Connections that sent the namespace connect {@code 40}: the room {@code bench}. */
    private static final Set<Connection> ROOM = ConcurrentHashMap.newKeySet();
    /** One daemon thread pings every connection, each on its own schedule from its open. */
    private static final ScheduledExecutorService PINGER = pinger();

    private Connection connection; // a new endpoint instance per connection (annotated endpoint)

    @OnOpen
    public void open(Session session, EndpointConfig config) {
        session.setMaxTextMessageBufferSize(MAX_PAYLOAD);
        try {
            session.setMaxIdleTimeout(-1); // liveness is the heartbeat's job (Tyrus: negative turns its idle timer off)
        } catch (IllegalArgumentException refused) {
            session.setMaxIdleTimeout(0);
        }
        connection = new Connection(session);
        connection.send("0{\"sid\":\"" + sid() + OPEN_SUFFIX);
        Connection c = connection;
        c.ping = PINGER.scheduleAtFixedRate(() -> c.send("2"), PING_INTERVAL_MS, PING_INTERVAL_MS, TimeUnit.MILLISECONDS);
        if (c.isClosed()) {
            c.ping.cancel(false); // closed while the ping was being scheduled
        }
    }

    @OnMessage
    public void message(String text) {
        if (text.startsWith("42[\"bench\"")) {
            for (Connection member : ROOM) {
                member.send(text); // the same packet, argument(s) untouched
            }
        } else if (text.startsWith("42")) {
            // 42<id>["echo",X] -> 43<id>[X]; anything else (no ack id, other events) is ignored
            int bracket = text.indexOf('[', 2);
            if (bracket > 2 && text.startsWith("[\"echo\",", bracket) && text.endsWith("]")) {
                String id = text.substring(2, bracket);
                String arg = text.substring(bracket + "[\"echo\",".length(), text.length() - 1);
                connection.send("43" + id + "[" + arg + "]");
            }
        } else if (text.startsWith("40")) {
            ROOM.add(connection);
            connection.send("40{\"sid\":\"" + sid() + "\"}");
        } else if (text.startsWith("41")) {
            ROOM.remove(connection);
        }
        // "3" (pong) is ignored: the floor does not enforce pingTimeout.
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        if (connection != null) {
            ROOM.remove(connection);
            connection.closed();
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        // A reset connection is routine under load; the container closes the session and close() cleans up.
    }

    /** A session's outgoing queue: one async send in flight at a time. */
    private static final class Connection implements SendHandler {
        private final Session session;
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private boolean sending;
        private boolean closed;
        volatile ScheduledFuture<?> ping;

        Connection(Session session) {
            this.session = session;
        }

        void send(String text) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (sending) {
                    queue.add(text);
                    return;
                }
                sending = true;
            }
            start(text);
        }

        private void start(String text) {
            try {
                session.getAsyncRemote().sendText(text, this);
            } catch (RuntimeException gone) {
                closed();
            }
        }

        @Override
        public void onResult(SendResult result) {
            String next;
            synchronized (this) {
                if (!result.isOK() || closed) {
                    closed = true;
                    queue.clear();
                    return;
                }
                next = queue.poll();
                if (next == null) {
                    sending = false;
                    return;
                }
            }
            // A container may complete a send inside sendText: then this recursion is as deep as
            // the queue, which stays short in these runs (16 messages in flight per publisher).
            start(next);
        }

        synchronized boolean isClosed() {
            return closed;
        }

        void closed() {
            synchronized (this) {
                closed = true;
                queue.clear();
            }
            ScheduledFuture<?> p = ping;
            if (p != null) {
                p.cancel(false);
            }
        }
    }

    private static ScheduledExecutorService pinger() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "floor-ping");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // closed connections' tasks must not pile up in the queue
        return executor;
    }

    private static String sid() {
        byte[] bytes = new byte[15];
        ThreadLocalRandom.current().nextBytes(bytes); // a benchmark id, not a secret
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
