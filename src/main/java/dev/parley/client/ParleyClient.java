package dev.parley.client;

import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketDecoder;
import dev.parley.protocol.socketio.SocketPacketEncoder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Java Socket.IO client over one WebSocket (any Jakarta WebSocket client, e.g. Tyrus's): it
 * opens the Engine.IO session, answers the server's pings, and multiplexes namespaces ({@link #socket}).
 * Depends only on the protocol codecs, JSON-P and the WebSocket client API; JSON-B (e.g. Yasson) only when
 * records or other objects are sent or read (see {@link ClientSocket}).
 * <pre>{@code
 * try (ParleyClient client = ParleyClient.connect(URI.create("http://localhost:3000"), ClientOptions.defaults())) {
 *     ClientSocket chat = client.socket("/chat", Map.of("token", "abc"));
 *     chat.connected().get(5, SECONDS);
 *     chat.emitWithAck(Duration.ofSeconds(5), "msg", "hello").get();
 * }
 * }</pre>
 * <p><b>Reconnection</b> (as socket.io-client's {@code Manager}): a connection is lost when the WebSocket closes
 * or fails without {@link #close()} ("transport close"), when the server's ping is later than pingInterval +
 * pingTimeout ("ping timeout"), or when the server sends a malformed packet ("parse error"). Each connected
 * namespace is then told {@link ClientSocket#onDisconnect disconnect} with that reason and, unless
 * {@link ClientOptions#reconnection} is off, the client opens a new Engine.IO session after an exponential
 * backoff with jitter ({@link #onReconnectAttempt}, then {@link #onReconnect} or {@link #onReconnectError} and the
 * next attempt, or {@link #onReconnectFailed} after {@link ClientOptions#reconnectionAttempts}); every namespace
 * still active sends its CONNECT again, with its auth asked again of its supplier and, when the server offered
 * connection state recovery, its session id and last offset ({@link ClientSocket#recovered()}). Only the first
 * connection is made by {@link #connect}, which throws when it fails; later ones happen in the background.
 * <p><b>Threads</b>: WebSocket frames are read on the WebSocket client's thread, which only decodes and updates
 * state; every listener and every completion of a future this client hands out runs on the
 * {@link ClientOptions#callbackExecutor callback executor} (default: one daemon thread
 * {@code parley-client-events}), one at a time in arrival order, so a slow handler delays the next handlers, never
 * the reading of frames or the answering of pings. Heartbeat deadlines, ack timeouts and reconnection attempts run
 * on two daemon threads {@code parley-client-timer} (an attempt holds one of them while its WebSocket handshake
 * runs, at most {@link ClientOptions#connectTimeout}: past it the waiting thread is interrupted). {@link #close()} stops both threads. Thread-safe.
 * <p>Not here: the long-polling transport.
 */
public final class ParleyClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ParleyClient.class.getName());

    /** The names of the client's own threads. */
    static final String EVENTS_THREAD = "parley-client-events";
    static final String TIMER_THREAD = "parley-client-timer";

    private final URI wsUri;
    private final ClientOptions options;
    private final WebSocketContainer container = ContainerProvider.getWebSocketContainer();
    private final Map<String, ClientSocket> sockets = new ConcurrentHashMap<>();
    /** Two threads: one may wait in a reconnection handshake while the other runs deadlines and its watchdog. */
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> daemon(r,
            TIMER_THREAD));
    /** Null when the options brought an executor (the user's to stop). */
    private final ExecutorService ownEvents;
    private final Executor events;
    private final List<IntConsumer> reconnectAttemptListeners = new CopyOnWriteArrayList<>();
    private final List<IntConsumer> reconnectListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> reconnectErrorListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> reconnectFailedListeners = new CopyOnWriteArrayList<>();
    /** Guards current (written), closed, backoff and reconnectTask. */
    private final Object lock = new Object();
    private final Backoff backoff;
    private volatile Connection current;
    private volatile Thread eventsThread;
    private boolean closed;
    private ScheduledFuture<?> reconnectTask;

    private ParleyClient(URI wsUri, ClientOptions options) {
        this.wsUri = wsUri;
        this.options = options;
        this.backoff = new Backoff(options.reconnectionDelayMillis(), options.reconnectionDelayMaxMillis(),
                options.randomizationFactor());
        if (options.callbackExecutor() == null) {
            ownEvents = Executors.newSingleThreadExecutor(r -> {
                Thread t = daemon(r, EVENTS_THREAD);
                eventsThread = t;
                return t;
            });
            events = new SerialExecutor(ownEvents);
        } else {
            ownEvents = null;
            events = new SerialExecutor(options.callbackExecutor());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Opens the connection to a server at {@code base} (http or ws URL of the host).
     *
     * @throws IOException when this first connection cannot be opened (no reconnection is tried then)
     */
    public static ParleyClient connect(URI base, ClientOptions options) throws IOException {
        String scheme = base.getScheme().equals("https") || base.getScheme().equals("wss") ? "wss" : "ws";
        URI uri = URI.create(scheme + "://" + base.getRawAuthority() + options.path() + "?EIO=4&transport=websocket");
        ParleyClient client = new ParleyClient(uri, options);
        try {
            Connection c = client.open();
            synchronized (client.lock) {
                if (c.down) {
                    throw new IOException("connection to " + uri + " closed at once");
                }
                client.current = c;
            }
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** The Engine.IO session id of the current connection, or null while disconnected. */
    public String sessionId() {
        Connection c = current;
        return c == null ? null : c.opened.getNow(null);
    }

    /** Joins a namespace with an optional auth payload; see {@link ClientSocket#connected()}. */
    public ClientSocket socket(String namespace, Map<String, ?> auth) {
        return socket(namespace, auth, s -> { });
    }

    /**
     * Joins a namespace like {@link #socket(String, Map)}, with {@code listeners} registering the
     * socket's listeners before its CONNECT goes out: an event the server emits as soon as the
     * socket joins (a welcome) can arrive before this method returns.
     */
    public ClientSocket socket(String namespace, Map<String, ?> auth, Consumer<ClientSocket> listeners) {
        return socketWithAuth(namespace, () -> auth, listeners);
    }

    /**
     * Joins a namespace like {@link #socket(String, Map, Consumer)}, asking {@code auth} for the auth payload
     * (null: none) at each CONNECT, the first and every one after a reconnection: a token can be refreshed.
     * Called on the thread that connects (the caller, then {@code parley-client-timer}); if it throws, that
     * CONNECT is not sent and the exception goes to {@link ClientSocket#onConnectError} listeners.
     */
    public ClientSocket socketWithAuth(String namespace, Supplier<? extends Map<String, ?>> auth,
            Consumer<ClientSocket> listeners) {
        ClientSocket socket = new ClientSocket(this, namespace, auth, options.sendBufferLimit());
        listeners.accept(socket);
        sockets.put(namespace, socket);
        Connection c = current;
        if (c != null) {
            socket.sendConnect(c);
        }
        return socket;
    }

    /** Told the attempt number (from 1) before each reconnection attempt. */
    public ParleyClient onReconnectAttempt(IntConsumer listener) {
        reconnectAttemptListeners.add(listener);
        return this;
    }

    /** Told the number of attempts it took once a new connection is open (before namespaces reconnect). */
    public ParleyClient onReconnect(IntConsumer listener) {
        reconnectListeners.add(listener);
        return this;
    }

    /** Told why one reconnection attempt failed; the next is scheduled unless the attempts are used up. */
    public ParleyClient onReconnectError(Consumer<Throwable> listener) {
        reconnectErrorListeners.add(listener);
        return this;
    }

    /** Told once the {@link ClientOptions#reconnectionAttempts} all failed: the client stays disconnected. */
    public ParleyClient onReconnectFailed(Runnable listener) {
        reconnectFailedListeners.add(listener);
        return this;
    }

    /** Whether a connection is open now (false while reconnecting and after {@link #close()}). */
    public boolean isOpen() {
        Connection c = current;
        return c != null && c.isOpen();
    }

    /**
     * Closes the connection and stops reconnecting: every connected namespace is told "io client disconnect",
     * buffered packets are dropped, pending acks fail. The client's threads end: the callback thread after it ran
     * what was queued (awaited up to 5 s unless called from a callback), the timer at once.
     */
    @Override
    public void close() {
        Connection c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = current;
            current = null;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
        }
        if (c != null) {
            c.shut();
        }
        for (ClientSocket s : sockets.values()) {
            s.onClientClosed();
        }
        timer.shutdownNow();
        if (ownEvents != null) {
            ownEvents.shutdown();
        }
        try {
            if (Thread.currentThread() != eventsThread && ownEvents != null) {
                ownEvents.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (!Thread.currentThread().getName().equals(TIMER_THREAD)) {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- package

    Executor events() {
        return events;
    }

    ClientOptions options() {
        return options;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** The connection a packet would go out on now, or null while disconnected. */
    Connection current() {
        return current;
    }

    /**
     * Writes a packet on the current connection.
     *
     * @return false when nothing was written (no connection, or the first frame failed): the caller may buffer it
     */
    boolean send(SocketPacket packet) {
        Connection c = current;
        return c != null && c.send(packet);
    }

    // ---------------------------------------------------------------- connections

    private Connection open() throws IOException {
        Connection c = new Connection();
        // the handshake itself may wait far longer than connectTimeout (Tyrus: 30 s when the peer resets the
        // connection at once), and the portable API has no timeout for it: a watchdog interrupts the wait
        Watchdog watchdog = new Watchdog(Thread.currentThread());
        watchdog.arm(options.connectTimeoutMillis());
        try {
            container.connectToServer(c, ClientEndpointConfig.Builder.create().build(), wsUri);
            c.opened.get(options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
            watchdog.disarm();
            return c;
        } catch (DeploymentException | ExecutionException | TimeoutException | RuntimeException e) {
            boolean timedOut = watchdog.disarm();
            c.shut();
            throw new IOException("cannot connect to " + wsUri + (timedOut ? ": no handshake within "
                    + options.connectTimeoutMillis() + " ms" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            boolean timedOut = watchdog.disarm();
            c.shut();
            if (timedOut) {
                throw new IOException("cannot connect to " + wsUri + ": no handshake within "
                        + options.connectTimeoutMillis() + " ms", e);
            }
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + wsUri, e);
        }
    }

    /** Interrupts a thread stuck in a handshake past its deadline; never after {@link #disarm()}. */
    private final class Watchdog {
        private final Thread opener;
        private final Object guard = new Object();
        private boolean done;
        private boolean fired;
        private ScheduledFuture<?> task;

        Watchdog(Thread opener) {
            this.opener = opener;
        }

        void arm(long millis) {
            try {
                task = timer.schedule(() -> {
                    synchronized (guard) {
                        if (!done) {
                            fired = true;
                            opener.interrupt();
                        }
                    }
                }, millis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile: the handshake is bounded by the WebSocket client alone
            }
        }

        /** @return whether it fired: then the interrupt was its own and is cleared */
        boolean disarm() {
            boolean f;
            synchronized (guard) {
                done = true;
                f = fired;
            }
            if (task != null) {
                task.cancel(false);
            }
            if (f) {
                Thread.interrupted();
            }
            return f;
        }
    }

    /** A connection ended without close(): tell the namespaces, then reconnect. */
    private void lost(Connection c, String reason) {
        lost(c, reason, true);
    }

    private void lost(Connection c, String reason, boolean closeWebSocket) {
        synchronized (lock) {
            c.down = true;
            if (c != current) {
                return; // an old connection, one being opened (its opener sees down), or close() ran
            }
            current = null;
        }
        LOG.fine(() -> "connection lost: " + reason);
        c.stopHeartbeat();
        for (ClientSocket s : sockets.values()) {
            s.onTransportClosed(reason, !options.reconnection());
        }
        if (options.reconnection()) {
            synchronized (lock) {
                scheduleReconnect();
            }
        }
        // last, and not from the WebSocket's own close callback: closing a broken WebSocket may wait on its
        // close frame's write, which must not hold up the namespaces' news or the reconnection
        if (closeWebSocket) {
            c.shut();
        }
    }

    /** Under lock. */
    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        if (backoff.attempts() >= options.reconnectionAttempts()) {
            backoff.reset();
            fire(reconnectFailedListeners, Runnable::run);
            return;
        }
        long delay = backoff.duration();
        LOG.fine(() -> "reconnecting in " + delay + " ms");
        reconnectTask = timer.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    /** On the timer. */
    private void attempt() {
        int attempt;
        synchronized (lock) {
            if (closed) {
                return;
            }
            attempt = backoff.attempts();
        }
        fire(reconnectAttemptListeners, l -> l.accept(attempt));
        Connection c;
        try {
            c = open();
            boolean closedMeanwhile;
            synchronized (lock) {
                closedMeanwhile = closed;
                if (!closed) {
                    if (c.down) {
                        throw new IOException("connection to " + wsUri + " closed at once");
                    }
                    current = c;
                    backoff.reset();
                }
            }
            if (closedMeanwhile) {
                c.shut(); // outside the lock: closing may wait on the network
                return;
            }
        } catch (IOException e) {
            fire(reconnectErrorListeners, l -> l.accept(e));
            for (ClientSocket s : sockets.values()) {
                s.onReconnectFailure(e);
            }
            synchronized (lock) {
                scheduleReconnect();
            }
            return;
        }
        fire(reconnectListeners, l -> l.accept(attempt));
        for (ClientSocket s : sockets.values()) {
            s.sendConnect(c);
        }
    }

    private <L> void fire(List<L> listeners, Consumer<L> call) {
        if (listeners.isEmpty()) {
            return;
        }
        events.execute(() -> {
            for (L l : listeners) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "client listener failed", e);
                }
            }
        });
    }

    private void onSocketIo(Connection c, SocketPacket packet) {
        ClientSocket socket = sockets.get(packet.namespace());
        if (socket != null) {
            socket.onPacket(c, packet);
        }
    }

    /**
     * One Engine.IO session over one WebSocket: a reconnection makes a new one, so a late callback of an old
     * WebSocket cannot be taken for the new one's.
     */
    final class Connection extends Endpoint {

        private final SocketPacketDecoder decoder = new SocketPacketDecoder(64);
        private final CompletableFuture<String> opened = new CompletableFuture<>();
        /** One frame sequence (a packet and its attachments) at a time on the WebSocket. */
        private final Object sendLock = new Object();
        /** Guards heartbeat. */
        private final Object heartbeatLock = new Object();
        private volatile Session session;
        private volatile long pingInterval;
        private volatile long pingTimeout;
        private ScheduledFuture<?> heartbeat;
        /** Set under the client's lock once the connection ended. */
        private boolean down;

        boolean isOpen() {
            Session s = session;
            return s != null && s.isOpen();
        }

        boolean send(SocketPacket packet) {
            synchronized (sendLock) {
                Session s = session;
                if (s == null || !s.isOpen()) {
                    return false;
                }
                try {
                    s.getBasicRemote().sendText(EngineCodec.encodeText(
                            EnginePacket.message(SocketPacketEncoder.encode(packet))));
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "send failed", e);
                    return false;
                }
                try {
                    for (byte[] a : packet.attachments()) {
                        s.getBasicRemote().sendBinary(ByteBuffer.wrap(a));
                    }
                } catch (IOException | RuntimeException e) {
                    // the event's text frame went: sending it again could deliver it twice
                    LOG.log(Level.FINE, "send failed", e);
                }
                return true;
            }
        }

        private void sendRaw(String frame) {
            synchronized (sendLock) {
                Session s = session;
                try {
                    if (s != null) {
                        s.getBasicRemote().sendText(frame);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "send failed", e);
                }
            }
        }

        void stopHeartbeat() {
            synchronized (heartbeatLock) {
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                }
            }
        }

        /** Stops the heartbeat and closes the WebSocket; the close callback then finds this connection down. */
        void shut() {
            stopHeartbeat();
            Session s = session;
            if (s != null && s.isOpen()) {
                try {
                    s.close();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "close", e);
                }
            }
        }

        private void onText(String frame) {
            EnginePacket p;
            try {
                p = EngineCodec.decodeText(frame);
            } catch (MalformedPacketException e) {
                LOG.warning("server sent a malformed packet: " + e.getMessage());
                lost(this, "parse error");
                return;
            }
            switch (p.type()) {
                case OPEN -> onOpen(p.text());
                case PING -> {
                    sendRaw("3");
                    armHeartbeat();
                }
                case MESSAGE -> onSocketIo(() -> decoder.decodeText(p.text()));
                case CLOSE -> lost(this, "transport close");
                default -> {
                    // PONG, NOOP, UPGRADE: nothing for a WebSocket-only client
                }
            }
        }

        private void onOpen(String json) {
            try (JsonReader reader = Jsonp.PROVIDER.createReader(new StringReader(json))) {
                JsonObject open = reader.readObject();
                pingInterval = open.getJsonNumber("pingInterval").longValue();
                pingTimeout = open.getJsonNumber("pingTimeout").longValue();
                armHeartbeat();
                opened.complete(open.getString("sid"));
            } catch (RuntimeException e) {
                opened.completeExceptionally(e);
            }
        }

        /** The server pings every pingInterval; silence for pingInterval + pingTimeout means it is gone. */
        private void armHeartbeat() {
            synchronized (heartbeatLock) {
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                }
                if (!timer.isShutdown()) {
                    heartbeat = timer.schedule(() -> {
                        LOG.fine("no ping from the server");
                        lost(this, "ping timeout");
                    }, pingInterval + pingTimeout, TimeUnit.MILLISECONDS);
                }
            }
        }

        private void onSocketIo(Decode decode) {
            SocketPacket packet;
            try {
                synchronized (decoder) {
                    packet = decode.run();
                }
            } catch (MalformedPacketException e) {
                LOG.warning("server sent a malformed Socket.IO packet: " + e.getMessage());
                lost(this, "parse error");
                return;
            }
            if (packet != null) {
                ParleyClient.this.onSocketIo(this, packet);
            }
        }

        @Override
        public void onOpen(Session s, EndpointConfig config) {
            session = s;
            s.addMessageHandler(new MessageHandler.Whole<String>() {
                @Override
                public void onMessage(String frame) {
                    onText(frame);
                }
            });
            s.addMessageHandler(new MessageHandler.Whole<byte[]>() {
                @Override
                public void onMessage(byte[] frame) {
                    onSocketIo(() -> decoder.decodeBinary(frame));
                }
            });
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            opened.completeExceptionally(new IOException("closed: " + reason));
            lost(this, "transport close", false);
        }

        @Override
        public void onError(Session s, Throwable error) {
            // onClose follows and reports the loss
            LOG.log(Level.FINE, "websocket error", error);
        }
    }

    private interface Decode {
        SocketPacket run() throws MalformedPacketException;
    }
}
