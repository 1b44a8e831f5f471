package dev.parley.server;

import dev.parley.auth.AuthenticationException;
import dev.parley.auth.HandshakeAuthenticator;
import dev.parley.auth.Identity;
import dev.parley.engine.EngineOptions;
import dev.parley.engine.EngineRefusal;
import dev.parley.engine.EngineServer;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.SocketPacketDecoder;
import dev.parley.protocol.socketio.SocketPacket;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The Socket.IO server: namespaces over one {@link EngineServer}. Its API follows Socket.IO's so a
 * Node developer recognises it:
 * <pre>{@code
 * ParleyServer server = new ParleyServer(ParleyOptions.defaults());
 * server.of("/chat").onConnection(socket -> socket.on("msg", (args, ack) -> ack.send("got it")));
 * server.to("room").emit("event", "hello");
 * }</pre>
 * Transports (the WebSocket endpoint and the polling servlet) are attached to {@link #engine()} by
 * the deployment (standalone or WAR). Thread-safe.
 */
public final class ParleyServer {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ParleyServer.class.getName());

    private static final JsonObject INVALID_NAMESPACE = Jsonp.PROVIDER.createObjectBuilder()
            .add("message", "Invalid namespace").build();
    private static final JsonObject TOO_MANY_NAMESPACES = Jsonp.PROVIDER.createObjectBuilder()
            .add("message", "too many namespaces on this connection").build();

    private final ParleyOptions options;
    private final EngineServer engine;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final List<ParentNamespace> parents = new CopyOnWriteArrayList<>();
    private final Middleware connectAuthentication;
    private final RecoveryPolicy recovery;
    private final ServerStats stats = new ServerStats();
    /** Parses the text packets of connections that have no decoder of their own yet (Client); stateless use only. */
    private final SocketPacketDecoder packetParser;
    private volatile State state = State.RUNNING;
    private final Object closing = new Object();

    /** Where a server is in its life, as health checks show it ({@link #wire()}). */
    public enum State {
        /** Serving: accepts connections. */
        RUNNING("running"),
        /** {@link #close()} under way: refuses new connections, lets the open ones drain. */
        STOPPING("stopping"),
        /** {@link #close()} done. */
        STOPPED("stopped");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }
    private volatile ServerObserver observer;

    public ParleyServer(ParleyOptions options) {
        this.options = options;
        this.packetParser = new SocketPacketDecoder(options.maxAttachments(), options.maxAttachmentBytes());
        this.engine = new EngineServer(options.engine());
        this.recovery = new RecoveryPolicy(options); // before the first namespace: it picks the namespace's adapter
        namespaces.put("/", new Namespace("/", this, null));
        engine.onConnection(session -> session.setListener(new Client(this, session)));
        connectAuthentication = options.connectAuthenticator() == null ? null
                : Authorize.authenticate(options.connectAuthenticator());
        HandshakeAuthenticator authenticator = options.authenticator();
        if (authenticator != null) {
            engine.guard(request -> {
                try {
                    return authenticator.authenticate(new HandshakeAuthRequest(request, null));
                } catch (AuthenticationException refused) {
                    throw new EngineRefusal(refused.status(), refused.getMessage());
                }
            });
        }
    }

    /** A decoder shared by the connections for {@link SocketPacketDecoder#parseWhole} alone. */
    SocketPacketDecoder packetParser() {
        return packetParser;
    }

    public ParleyOptions options() {
        return options;
    }

    /** The Engine.IO server the transports feed. */
    public EngineServer engine() {
        return engine;
    }

    /** The namespace with this name, created on first use ({@code "/"} is the main namespace). */
    public Namespace of(String name) {
        String n = name.startsWith("/") ? name : "/" + name;
        return namespaces.computeIfAbsent(n, k -> new Namespace(k, this, null));
    }

    /** Dynamic namespaces whose names match the pattern entirely. */
    public ParentNamespace of(Pattern pattern) {
        return of((name, auth) -> pattern.matcher(name).matches());
    }

    /** Dynamic namespaces accepted by a predicate of (name, auth payload). */
    public ParentNamespace of(BiPredicate<String, JsonObject> matcher) {
        ParentNamespace parent = new ParentNamespace(matcher);
        parents.add(parent);
        return parent;
    }

    /** What this server's Socket.IO layer has counted since it started (disconnects, broadcasts...). */
    public ServerStats stats() {
        return stats;
    }

    /** Where this server is in its life. */
    public State state() {
        return state;
    }

    /**
     * Whether this server is live: up while it runs or stops gracefully (an adapter's outage does not
     * count: a restart would not help). Decided in one place with {@link #readiness()}; endpoints render it.
     */
    public Health liveness() {
        return Probes.liveness(this);
    }

    /**
     * Whether this server should be given new clients: up while it runs (not stopping) and its
     * adapter reaches the other nodes ({@link dev.parley.adapter.AdapterFactory#health()}).
     */
    public Health readiness() {
        return Probes.readiness(this);
    }

    /** Namespaces that exist now (the main one included); for gauges. */
    public int namespaceCount() {
        return namespaces.size();
    }

    /** Sockets connected now, in every namespace; computed when called, for gauges read now and then. */
    public long socketCount() {
        long n = 0;
        for (Namespace ns : namespaces.values()) {
            n += ns.socketCount();
        }
        return n;
    }

    /**
     * Rooms on this node now, in every namespace, each socket's own room (named by its id) not
     * counted; computed when called (a walk over each namespace's rooms), for gauges read now and then.
     */
    public long roomCount() {
        long n = 0;
        for (Namespace ns : namespaces.values()) {
            n += ns.roomCount();
        }
        return n;
    }

    /** The existing namespaces by name. */
    public Map<String, Namespace> namespaces() {
        return Map.copyOf(namespaces);
    }

    /**
     * Sets the one {@link ServerObserver} of this server (replacing any), or removes it with
     * {@code null}. Meant for tools such as the Admin UI, set before clients connect.
     */
    public void observe(ServerObserver observer) {
        this.observer = observer;
    }

    /** How many Engine.IO connections are open now. */
    public int connectionCount() {
        return engine.sessionCount();
    }

    /** What this server's connections have carried since it started, read from the engine's counters now. */
    public TrafficTotals trafficTotals() {
        return TrafficTotals.of(engine.stats());
    }

    /** How many Engine.IO connections are open on HTTP long-polling now (not upgraded); O(connections). */
    public int pollingConnectionCount() {
        return (int) engine.sessionsOn(EngineOptions.POLLING);
    }

    /**
     * Runs a short task every {@code periodMillis} on the server's one timer until the server closes
     * or the returned handle is cancelled; no thread of its own.
     */
    public AutoCloseable every(long periodMillis, Runnable task) {
        Repeat repeat = new Repeat(task, periodMillis);
        repeat.next();
        return repeat;
    }

    private final class Repeat implements AutoCloseable {
        private final Runnable task;
        private final long period;
        private volatile boolean stopped;
        private volatile ScheduledFuture<?> pending;

        Repeat(Runnable task, long period) {
            this.task = task;
            this.period = period;
        }

        void next() {
            if (stopped || engine.isStopped()) {
                return;
            }
            try {
                pending = schedule(() -> {
                    try {
                        task.run();
                    } finally {
                        next();
                    }
                }, period);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                stopped = true; // the timer stopped with the server
            }
        }

        @Override
        public void close() {
            stopped = true;
            ScheduledFuture<?> p = pending;
            if (p != null) {
                p.cancel(false);
            }
        }
    }

    // ---------------------------------------------------------------- main namespace shortcuts

    private Namespace main() {
        return namespaces.get("/");
    }

    public ParleyServer onConnection(Consumer<Socket> handler) {
        main().onConnection(handler);
        return this;
    }

    public ParleyServer use(Middleware middleware) {
        main().use(middleware);
        return this;
    }

    public BroadcastOperator to(String... rooms) {
        return main().to(rooms);
    }

    public BroadcastOperator in(String... rooms) {
        return main().in(rooms);
    }

    public BroadcastOperator except(String... rooms) {
        return main().except(rooms);
    }

    public BroadcastOperator asVolatile() {
        return main().asVolatile();
    }

    public BroadcastOperator local() {
        return main().local();
    }

    public BroadcastOperator timeout(Duration timeout) {
        return main().timeout(timeout);
    }

    public ParleyServer emit(String event, Object... args) {
        main().emit(event, args);
        return this;
    }

    public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
        return main().emitWithAck(event, args);
    }

    public void disconnectSockets(boolean close) {
        main().disconnectSockets(close);
    }

    /** Every socket of the main namespace on every node ({@link Namespace#fetchSockets}). */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return main().fetchSockets();
    }

    /** How many nodes serve the main namespace, this one included ({@link Namespace#serverCount}). */
    public CompletableFuture<Integer> serverCount() {
        return main().serverCount();
    }

    /** {@link Namespace#onServerSideEmit} on the main namespace. */
    public ParleyServer onServerSideEmit(String event, EventHandler handler) {
        main().onServerSideEmit(event, handler);
        return this;
    }

    /** {@link Namespace#serverSideEmit} on the main namespace. */
    public void serverSideEmit(String event, Object... args) {
        main().serverSideEmit(event, args);
    }

    /** {@link Namespace#serverSideEmitWithAck} on the main namespace. */
    public CompletableFuture<List<Args>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
        return main().serverSideEmitWithAck(timeout, event, args);
    }

    /**
     * Stops the server gracefully, as Node's {@code io.close()} but flushing first; returns within
     * the engine's {@linkplain dev.parley.engine.EngineOptions#shutdownGraceMillis() shutdown grace}
     * plus a moment:
     * <ol>
     *   <li>new connections are refused;</li>
     *   <li>every socket leaves with {@link DisconnectReason#SERVER_SHUTTING_DOWN}: its disconnect
     *       handlers run, its session is stored as for a lost connection when connection state
     *       recovery is on, and the acknowledgements it owes fail at once with a
     *       {@link SocketDisconnectedException} naming the shutdown. No DISCONNECT packet is sent:
     *       socket.io-client would take it as final ({@code "io server disconnect"});</li>
     *   <li>every connection delivers what is buffered for it and closes (the client sees
     *       {@code "transport close"} and reconnects), or is closed regardless when the grace is over;</li>
     *   <li>the timer stops: no Parley thread is left; one INFO line says how many connections and
     *       sockets were closed, in how long.</li>
     * </ol>
     * From the first step on the server is not {@linkplain #readiness() ready}, once done not
     * {@linkplain #liveness() live}. A second call waits for the first one's close and returns.
     */
    public void close() {
        synchronized (closing) { // a second caller returns once the first one's close is done
            if (state == State.RUNNING) {
                stop();
            }
        }
    }

    private void stop() {
        state = State.STOPPING;
        long start = System.nanoTime();
        int connections = engine.sessionCount();
        long sockets = socketCount();
        engine.stopAccepting();
        for (Namespace nsp : new ArrayList<>(namespaces.values())) {
            for (Socket s : new ArrayList<>(nsp.sockets().values())) {
                s.onClose(DisconnectReason.SERVER_SHUTTING_DOWN, "server shutting down");
            }
            // An in-memory adapter's sessions end with this server; closing it also cancels their
            // expiry tasks, which would otherwise hold the stopping timer.
            nsp.adapter().close();
        }
        options.adapterFactory().close();
        engine.close(); // stops the one timer too
        state = State.STOPPED;
        long ms = (System.nanoTime() - start) / 1_000_000;
        // often logged from a shutdown hook (a container undeploying on SIGTERM): kept even if JUL was reset
        ShutdownLog.info(LOG, () -> "Parley stopped: " + connections + " connection(s) and " + sockets + " socket(s) closed in "
                + ms + " ms (shutdown grace " + options.engine().shutdownGraceMillis() + " ms)");
    }

    // ---------------------------------------------------------------- package

    /**
     * Runs a short task once after {@code delayMillis} on the engine's timer, the server's only one
     * (ack timeouts, connect and attachment timeouts, token expiry).
     */
    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return engine.schedule(task, delayMillis);
    }

    /** Runs {@code task} on the server's timer when {@code identity}'s credentials expire. */
    ScheduledFuture<?> atExpiry(Identity identity, Runnable task) {
        long delay = Math.max(0, Instant.now().until(identity.expiresAt(), ChronoUnit.MILLIS));
        return schedule(task, delay);
    }

    /** The observer, or {@code null} (the common case: hooks test this and do nothing else). */
    ServerObserver observer() {
        return observer;
    }

    /** Connection state recovery's rules on this server. */
    RecoveryPolicy recovery() {
        return recovery;
    }

    /** The middleware running {@link ParleyOptions#connectAuthenticator()}, or {@code null}. */
    Middleware connectAuthentication() {
        return connectAuthentication;
    }

    /** A CONNECT packet: find or create the namespace, or refuse it as Invalid namespace. */
    void connect(Client client, String name, JsonObject auth) {
        if (!client.hasNamespace(name) && client.namespaceCount() >= options.maxNamespaces()) {
            client.write(SocketPacket.connectError(name, TOO_MANY_NAMESPACES));
            return;
        }
        Namespace nsp = namespaces.get(name);
        if (nsp == null) {
            for (ParentNamespace parent : parents) {
                if (parent.matches(name, auth)) {
                    nsp = namespaces.computeIfAbsent(name, k -> {
                        Namespace child = new Namespace(k, this, parent);
                        parent.adopt(child);
                        return child;
                    });
                    break;
                }
            }
        }
        if (nsp == null) {
            client.write(SocketPacket.connectError(name, INVALID_NAMESPACE));
            return;
        }
        nsp.add(client, auth);
    }
}
