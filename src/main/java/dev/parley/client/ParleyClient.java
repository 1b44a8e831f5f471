package dev.parley.client;

import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.socketio.SocketPacket;
import jakarta.websocket.ClientEndpointConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;

/**
 * A Java Socket.IO client: it opens the Engine.IO session over HTTP long-polling ({@code java.net.http}) and/or a
 * WebSocket (Tyrus's client), answers the server's pings, and multiplexes namespaces ({@link #socket}).
 * Depends only on the protocol codecs, JSON-P, {@code java.net.http} and the Tyrus WebSocket client; JSON-B (e.g.
 * Yasson) only when records or other objects are sent or read (see {@link ClientSocket}).
 * <pre>{@code
 * try (ParleyClient client = ParleyClient.connect(URI.create("http://localhost:3000"), ClientOptions.defaults())) {
 *     ClientSocket chat = client.socket("/chat", Map.of("token", "abc"));
 *     chat.connected().get(5, SECONDS);
 *     chat.emitWithAck(Duration.ofSeconds(5), "msg", "hello").get();
 * }
 * }</pre>
 * <p><b>Reconnection</b> (as socket.io-client's {@code Manager}): a connection is lost when its WebSocket closes
 * or fails without {@link #close()} or the server sends CLOSE ("transport close"), when a polling request fails or
 * is answered other than 200 ("transport error"), when the server's ping is later than pingInterval +
 * pingTimeout ("ping timeout"), or when the server sends a malformed packet ("parse error"). Each connected
 * namespace is then told {@link ClientSocket#onDisconnect disconnect} with that reason and, unless
 * {@link ClientOptions#reconnection} is off, the client opens a new Engine.IO session after an exponential
 * backoff with jitter ({@link #onReconnectAttempt}, then {@link #onReconnect} or {@link #onReconnectError} and the
 * next attempt, or {@link #onReconnectFailed} after {@link ClientOptions#reconnectionAttempts}); every namespace
 * still active sends its CONNECT again, with its auth asked again of its supplier and, when the server offered
 * connection state recovery, its session id and last offset ({@link ClientSocket#recovered()}). Only the first
 * connection is made by {@link #connect}, which throws when it fails; later ones happen in the background.
 * <p><b>Transports</b> ({@link ClientOptions#transports}, as engine.io-client): by default each session opens
 * with long-polling (a GET waiting for the server's packets, one POST at a time carrying the client's) and, when
 * the server offers {@code websocket}, probes a WebSocket ({@code 2probe}/{@code 3probe}), waits for the polling
 * requests in flight, sends UPGRADE and goes on over the WebSocket; what is emitted meanwhile waits and goes out
 * in order. A failed probe stays on polling; with {@code ["websocket", "polling"]} a refused WebSocket handshake
 * falls back to polling; both are told to {@link #onTransportFallback} listeners. {@link #transport()} names the
 * transport in use. A polling request that fails or is answered other than 200 loses the connection ("transport
 * error").
 * <p><b>Threads</b>: WebSocket frames are read on the WebSocket client's thread (Tyrus/Grizzly, of a
 * {@code ClientManager} this client owns), polling responses on the client's {@code parley-client-http} threads
 * (the executor of its own {@code HttpClient}), both only decoding and updating state; a probe runs on a
 * short-lived {@code parley-client-upgrade} thread; every listener and every completion of a future this client hands out runs on the
 * {@link ClientOptions#callbackExecutor callback executor} (default: one daemon thread
 * {@code parley-client-events}), one at a time in arrival order, so a slow handler delays the next handlers, never
 * the reading of frames or the answering of pings. Heartbeat deadlines, ack timeouts and reconnection attempts run
 * on two daemon threads {@code parley-client-timer} (an attempt holds one of them while its WebSocket handshake
 * runs, at most {@link ClientOptions#connectTimeout}: past it the waiting thread is interrupted).
 * {@link #close()} stops every thread the client started: its timer and callback threads, its HTTP executor and
 * its Tyrus {@code ClientManager} ({@code shutdown()}: the Grizzly transport threads). Thread-safe.
 */
public final class ParleyClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ParleyClient.class.getName());

    /** The names of the client's own threads. */
    static final String EVENTS_THREAD = "parley-client-events";
    static final String TIMER_THREAD = "parley-client-timer";
    static final String HTTP_THREAD = "parley-client-http";
    static final String UPGRADE_THREAD = "parley-client-upgrade";
    /** How long close() waits for a polling session's last requests. */
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final EngineAddress address;
    private final ClientOptions options;
    /** This client's own WebSocket container: shut down by close(), so no Grizzly thread outlives the client. */
    private final ClientManager container;
    private final ClientEndpointConfig wsConfig;
    /** Runs the HttpClient's work; shut down by close() (Java 17's HttpClient has no close()). */
    private final ExecutorService httpExecutor;
    /** Builds {@link #http}: again after a heartbeat loss, whose pooled connections may be silent. */
    private final HttpClient.Builder httpBuilder;
    private volatile HttpClient http;
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
    private final List<Consumer<String>> fallbackListeners = new CopyOnWriteArrayList<>();
    private final SessionOwner owner = new SessionOwner();
    /** Guards current (written), closed, backoff and reconnectTask. */
    private final Object lock = new Object();
    private final Backoff backoff;
    private volatile EngineSession current;
    /** Why the first connection, made before any listener could be added, fell back to polling; else null. */
    private volatile String connectFallback;
    private volatile Thread eventsThread;
    private boolean closed;
    /** Set once connect() returned: later sessions are reconnections. */
    private volatile boolean reconnecting;
    private ScheduledFuture<?> reconnectTask;

    private ParleyClient(URI base, ClientOptions options) {
        this.address = new EngineAddress(base, options.path(), options.query());
        this.options = options;
        this.container = ClientManager.createClient();
        container.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, options.connectTimeoutMillis());
        if (options.sslContext() != null) {
            container.getProperties().put(ClientProperties.SSL_ENGINE_CONFIGURATOR,
                    new SslEngineConfigurator(options.sslContext(), true, false, false));
        }
        Map<String, String> headers = options.extraHeaders();
        this.wsConfig = ClientEndpointConfig.Builder.create().configurator(new ClientEndpointConfig.Configurator() {
            @Override
            public void beforeRequest(Map<String, List<String>> request) {
                headers.forEach((k, v) -> request.put(k, List.of(v)));
            }
        }).build();
        AtomicInteger httpThreads = new AtomicInteger();
        this.httpExecutor = Executors.newCachedThreadPool(r -> daemon(r,
                HTTP_THREAD + "-" + httpThreads.incrementAndGet()));
        // HTTP/1.1: on plain http the JDK would otherwise offer an h2c upgrade, which Engine.IO servers refuse
        HttpClient.Builder hb = HttpClient.newBuilder().executor(httpExecutor).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(options.connectTimeoutMillis()));
        if (options.sslContext() != null) {
            hb.sslContext(options.sslContext());
        }
        if (options.proxy() != null) {
            hb.proxy(options.proxy());
            URI proxyUri = proxyUri(options.proxy(), address.webSocket(null));
            if (proxyUri != null) {
                container.getProperties().put(ClientProperties.PROXY_URI, proxyUri.toString());
            }
        }
        this.httpBuilder = hb;
        this.http = hb.build();
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
        ParleyClient client = new ParleyClient(base, options);
        try {
            EngineSession c = client.open();
            synchronized (client.lock) {
                if (c.down) {
                    throw new IOException("connection to " + client.address + " closed at once");
                }
                client.current = c;
            }
            client.reconnecting = true;
            client.upgradeInBackground(c);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** The Engine.IO session id of the current connection, or null while disconnected. */
    public String sessionId() {
        EngineSession c = current;
        return c == null ? null : c.opened().getNow(null);
    }

    /** The transport the connection runs on now, "polling" or "websocket"; null while disconnected. */
    public String transport() {
        EngineSession c = current;
        return c == null ? null : c.transportName();
    }

    /**
     * Told, with the cause, when the client goes on with polling instead of a WebSocket: a refused WebSocket
     * handshake with {@code transports = ["websocket", "polling"]}, or a failed upgrade probe of a polling session
     * (the session stays on polling).
     */
    public ParleyClient onTransportFallback(Consumer<String> listener) {
        fallbackListeners.add(listener);
        String early = connectFallback;
        if (early != null) {
            // the first connection's fallback happened inside connect(), before this listener could exist
            events.execute(() -> listener.accept(early));
        }
        return this;
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
        EngineSession c = current;
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
        EngineSession c = current;
        return c != null && c.isOpen();
    }

    /**
     * Closes the connection and stops reconnecting: every connected namespace is told "io client disconnect",
     * buffered packets are dropped, pending acks fail. The client's threads end: the callback thread after it ran
     * what was queued (awaited up to 5 s unless called from a callback), the timer at once.
     */
    @Override
    public void close() {
        EngineSession c;
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
        CompletableFuture<Void> transportsDone = c == null ? CompletableFuture.completedFuture(null) : c.shut();
        for (ClientSocket s : sockets.values()) {
            s.onClientClosed();
        }
        timer.shutdownNow();
        try {
            // a polling session's CLOSE and its waiting GET: an exchange left pending would keep the HttpClient
            // (and its selector thread) alive after its executor stopped
            transportsDone.get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.FINE, "polling requests still in flight at close", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpExecutor.shutdownNow();
        container.shutdown();
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
    EngineSession current() {
        return current;
    }

    /**
     * Writes a packet on the current connection.
     *
     * @return false when nothing was written (no connection, or the first frame failed): the caller may buffer it
     */
    boolean send(SocketPacket packet) {
        EngineSession c = current;
        return c != null && c.send(packet);
    }

    // ---------------------------------------------------------------- connections

    /** Opens one Engine.IO session on the first transport of the options (falling back if allowed). */
    private EngineSession open() throws IOException {
        EngineSession c = new EngineSession(owner, options.connectTimeoutMillis());
        // the handshake itself may wait far longer than connectTimeout (Tyrus: 30 s when the peer resets the
        // connection at once), and the portable API has no timeout for it: a watchdog interrupts the wait
        Watchdog watchdog = new Watchdog(Thread.currentThread());
        watchdog.arm(options.connectTimeoutMillis());
        try {
            List<String> transports = options.transports();
            if (transports.get(0).equals(ClientOptions.WEBSOCKET)) {
                try {
                    c.use(WebSocketTransport.open(container, wsConfig, address.webSocket(null), c));
                } catch (IOException e) {
                    if (!transports.contains(ClientOptions.POLLING) || Thread.currentThread().isInterrupted()) {
                        throw e;
                    }
                    String why = "websocket failed, using polling: " + e.getMessage();
                    LOG.fine(why);
                    if (!reconnecting) {
                        connectFallback = why; // inside connect(): told to listeners added afterwards
                    } else {
                        fire(fallbackListeners, l -> l.accept(why));
                    }
                    c.fellBack();
                    openPolling(c);
                }
            } else {
                openPolling(c);
            }
            c.opened().get(options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
            watchdog.disarm();
            return c;
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            boolean timedOut = watchdog.disarm();
            c.shut();
            throw new IOException("cannot connect to " + address + (timedOut ? ": no handshake within "
                    + options.connectTimeoutMillis() + " ms" : ": " + e.getMessage()), e);
        } catch (InterruptedException e) {
            boolean timedOut = watchdog.disarm();
            c.shut();
            if (timedOut) {
                throw new IOException("cannot connect to " + address + ": no handshake within "
                        + options.connectTimeoutMillis() + " ms", e);
            }
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + address, e);
        }
    }

    /** The polling handshake, then the GET loop of the session it opened. */
    private void openPolling(EngineSession c) throws IOException, InterruptedException {
        HttpClient http = this.http; // one client for the whole session
        List<EnginePacket> packets = PollingTransport.handshake(http, address, options.extraHeaders(),
                options.connectTimeoutMillis());
        String sid = c.open(packets.get(0).text());
        if (sid == null) {
            throw new IOException("polling handshake with " + address + ": unreadable OPEN packet");
        }
        PollingTransport polling = new PollingTransport(http, address, sid, options.extraHeaders(), c);
        c.use(polling);
        for (EnginePacket p : packets.subList(1, packets.size())) {
            c.packet(polling, p);
        }
        polling.start();
    }

    /** A polling session the server offers a WebSocket to moves to it, on its own short-lived thread. */
    private void upgradeInBackground(EngineSession c) {
        if (!options.upgrade() || c.hasFallenBack() || !ClientOptions.POLLING.equals(c.transportName())
                || !options.transports().contains(ClientOptions.WEBSOCKET)
                || !c.upgrades().contains(ClientOptions.WEBSOCKET)) {
            return;
        }
        URI uri = address.webSocket(c.opened().getNow(null));
        Thread t = new Thread(() -> c.upgrade(uri), UPGRADE_THREAD);
        t.setDaemon(true);
        t.start();
    }

    /** The proxy {@code selector} picks for {@code target}, as the http URI Tyrus takes; null for none. */
    private static URI proxyUri(java.net.ProxySelector selector, URI target) {
        // the selector is asked for the http form: WebSocket proxies are HTTP CONNECT proxies
        URI asHttp = URI.create(target.toString().replaceFirst("^ws", "http"));
        for (Proxy p : selector.select(asHttp)) {
            if (p.type() == Proxy.Type.HTTP && p.address() instanceof InetSocketAddress a) {
                return URI.create("http://" + a.getHostString() + ":" + a.getPort());
            }
        }
        return null;
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
    private void lost(EngineSession c, String reason) {
        synchronized (lock) {
            c.down = true;
            if (c != current) {
                return; // an old connection, one being opened (its opener sees down), or close() ran
            }
            current = null;
        }
        LOG.fine(() -> "connection lost: " + reason);
        c.stopHeartbeat();
        if (reason.equals("ping timeout")) {
            // The server went silent without closing: the HTTP client's pool may keep an idle connection to it
            // that is just as silent, and the next handshake would take it and wait out connectTimeout. A new
            // client starts with an empty pool (the old one's selector thread ends once it is collected).
            http = httpBuilder.build();
        }
        for (ClientSocket s : sockets.values()) {
            s.onTransportClosed(reason, !options.reconnection());
        }
        if (options.reconnection()) {
            synchronized (lock) {
                scheduleReconnect();
            }
        }
        // last: closing a broken WebSocket may wait on its close frame's write, which must not hold up the
        // namespaces' news or the reconnection (a transport that ended by itself is not closed again)
        c.shut();
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
        EngineSession c;
        try {
            c = open();
            boolean closedMeanwhile;
            synchronized (lock) {
                closedMeanwhile = closed;
                if (!closed) {
                    if (c.down) {
                        throw new IOException("connection to " + address + " closed at once");
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
        upgradeInBackground(c);
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

    /** What the client's sessions ask of it. */
    private final class SessionOwner implements EngineSession.Owner {

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }

        @Override
        public void socketIo(EngineSession session, SocketPacket packet) {
            ClientSocket socket = sockets.get(packet.namespace());
            if (socket != null) {
                socket.onPacket(session, packet);
            }
        }

        @Override
        public void lost(EngineSession session, String reason) {
            ParleyClient.this.lost(session, reason);
        }

        @Override
        public void upgradeFailed(String why) {
            LOG.fine(why);
            fire(fallbackListeners, l -> l.accept(why));
        }

        @Override
        public WebSocketTransport openWebSocket(URI uri, Transport.Sink sink) throws IOException {
            return WebSocketTransport.open(container, wsConfig, uri, sink);
        }
    }
}
