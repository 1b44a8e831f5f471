package dev.parley.server;

import dev.parley.adapter.AckListener;
import dev.parley.adapter.Adapter;
import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.BroadcastOptions;
import dev.parley.adapter.PreparedPacket;
import dev.parley.adapter.SessionLookup;
import dev.parley.adapter.SocketDetails;
import dev.parley.engine.Delivery;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.RecoveryClaim;
import dev.parley.protocol.socketio.SocketPacket;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Socket.IO namespace: a named channel multiplexed over each connection. It runs its middleware
 * on every connecting socket, tells its connection handlers, keeps its sockets, and broadcasts
 * through its {@link Adapter}. Created with {@link ParleyServer#of(String)}.
 */
public class Namespace {

    private static final Logger LOG = Logger.getLogger(Namespace.class.getName());
    /**
     * How long a recovery waits for a socket still connected under its pid to end by itself before
     * that socket's connection is closed as lost: ample for a DISCONNECT already on its way (a few
     * milliseconds behind, on a busy machine a few hundred), short beside a reconnection's delay.
     */
    static final long SUPERSEDE_GRACE_MILLIS = 1000;

    private final String name;
    private final ParleyServer server;
    private final ParentNamespace parent;
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    // The same connected sockets by private session id (recovery on; bounded with them): a recovery
    // that arrives while its old socket still looks connected finds that socket in O(1).
    private final Map<String, Socket> byPid = new ConcurrentHashMap<>();
    private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final Map<String, List<EventHandler>> serverSideHandlers = new ConcurrentHashMap<>();
    /** Its sockets' equal event-handler maps, one copy each. */
    private final HandlerMaps handlerMaps = new HandlerMaps();
    private final AtomicLong ackIds = new AtomicLong();
    private final Adapter adapter;

    Namespace(String name, ParleyServer server, ParentNamespace parent) {
        this.name = name;
        this.server = server;
        this.parent = parent;
        this.adapter = server.recovery().adapter(new Context(), server::schedule);
    }

    /** The name, e.g. {@code "/"} or {@code "/chat"}. */
    public String name() {
        return name;
    }

    HandlerMaps handlerMaps() {
        return handlerMaps;
    }

    public ParleyServer server() {
        return server;
    }

    public Adapter adapter() {
        return adapter;
    }

    /** The connected sockets by id (a live, read-only view). */
    public Map<String, Socket> sockets() {
        return Collections.unmodifiableMap(sockets);
    }

    /** Sockets connected now. */
    public int socketCount() {
        return sockets.size();
    }

    /**
     * Rooms of this namespace on this node now, each socket's own room (named by its id) not
     * counted; a walk over a copy of the adapter's rooms, for gauges read now and then.
     */
    public long roomCount() {
        long n = 0;
        for (String room : adapter.rooms()) {
            if (!sockets.containsKey(room)) {
                n++;
            }
        }
        return n;
    }

    /** Adds a handler called with every socket that connects. */
    public Namespace onConnection(Consumer<Socket> handler) {
        connectionHandlers.add(handler);
        return this;
    }

    /** Adds middleware, run in order for every connecting socket. */
    public Namespace use(Middleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    // ---------------------------------------------------------------- broadcast shortcuts

    private BroadcastOperator all() {
        return new BroadcastOperator(this, BroadcastOptions.everyone());
    }

    public BroadcastOperator to(String... rooms) {
        return all().to(rooms);
    }

    public BroadcastOperator in(String... rooms) {
        return all().to(rooms);
    }

    public BroadcastOperator except(String... rooms) {
        return all().except(rooms);
    }

    /** Broadcast that may be dropped for clients that cannot take it right now. */
    public BroadcastOperator asVolatile() {
        return all().asVolatile();
    }

    public BroadcastOperator local() {
        return all().local();
    }

    public BroadcastOperator compress(boolean compress) {
        return all().compress(compress);
    }

    public BroadcastOperator timeout(Duration timeout) {
        return all().timeout(timeout);
    }

    /** Emits to every socket of the namespace. */
    public Namespace emit(String event, Object... args) {
        all().emit(event, args);
        return this;
    }

    /** Emits to every socket and collects their acknowledgements (see {@link BroadcastOperator#emitWithAck}). */
    public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
        return all().emitWithAck(event, args);
    }

    /** Every socket of this namespace on every node ({@link BroadcastOperator#fetchSockets}). */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return all().fetchSockets();
    }

    /** This namespace's sockets connected to this node. */
    public List<Socket> localSockets() {
        return all().localSockets();
    }

    /** How many nodes serve this namespace, this one included (1 without a multi-node adapter). */
    public CompletableFuture<Integer> serverCount() {
        return adapter.serverCount();
    }

    /**
     * Handles an event another node of the cluster sent with {@link #serverSideEmit} (never one of
     * this node's own, never a client's): {@code ack.send(...)} answers a {@link #serverSideEmitWithAck}
     * (once per node: the first handler's answer counts).
     */
    public Namespace onServerSideEmit(String event, EventHandler handler) {
        serverSideHandlers.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(handler);
        return this;
    }

    /**
     * Sends an event to this namespace on every other node of the cluster, to its
     * {@link #onServerSideEmit} handlers, as socket.io's {@code serverSideEmit} (arguments as
     * {@link Socket#emit} takes them). Without a multi-node adapter there is no other node: nothing happens.
     */
    public void serverSideEmit(String event, Object... args) {
        adapter.serverSideEmit(serverSideEvent(event, args), null);
    }

    /**
     * As {@link #serverSideEmit}, and completes with every other node's answer once all have
     * answered (at once, empty, when there is none); fails with a {@link TimeoutException} when
     * some have not within {@code timeout}.
     */
    public CompletableFuture<List<Args>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
        SocketPacket packet = serverSideEvent(event, args);
        AckCollection acks = new AckCollection();
        CompletableFuture<List<Args>> all = acks.result();
        ScheduledFuture<?> timer = server.schedule(() -> all.completeExceptionally(new TimeoutException(
                "not every node answered '" + event + "' within " + timeout.toMillis() + " ms")), timeout.toMillis());
        all.whenComplete((r, e) -> timer.cancel(false));
        adapter.serverSideEmit(packet, acks);
        return all;
    }

    private SocketPacket serverSideEvent(String event, Object... args) {
        Socket.checkEvent(event);
        PayloadValues.Encoded enc = PayloadValues.encode(event, args);
        return SocketPacket.event(name, enc.array(), SocketPacket.NO_ACK, enc.attachments());
    }

    public void socketsJoin(String... rooms) {
        all().socketsJoin(rooms);
    }

    public void socketsLeave(String... rooms) {
        all().socketsLeave(rooms);
    }

    public void disconnectSockets(boolean close) {
        all().disconnectSockets(close);
    }

    // ---------------------------------------------------------------- package

    long nextAckId() {
        return ackIds.getAndIncrement();
    }

    Socket socket(String id) {
        return sockets.get(id);
    }

    void remove(Socket socket) {
        sockets.remove(socket.id(), socket);
        String pid = socket.pid();
        if (pid != null) {
            byPid.remove(pid, socket);
        }
    }

    /**
     * Runs the middleware for a new socket of {@code client}, then connects it or refuses it. A
     * CONNECT asking for a recovery that the adapter can grant gets a socket with the old session's
     * id and data, which skips the namespace's middleware when so configured.
     */
    void add(Client client, JsonObject auth) {
        RecoveryClaim claim = server.recovery().claim(auth).orElse(null);
        Socket old = claim == null ? null : byPid.get(claim.pid());
        if (old != null && old.client() != client) {
            supersedeThenAdd(old, client, auth, claim);
        } else {
            addNow(client, auth, claim);
        }
    }

    private void addNow(Client client, JsonObject auth, RecoveryClaim claim) {
        RecoveryPolicy recovery = server.recovery();
        SessionLookup found = claim == null ? null : adapter.findSession(claim.pid(), claim.offset());
        Socket socket = new Socket(this, client, auth, found);
        List<Middleware> chain;
        if (socket.recovered() && recovery.skipsMiddlewares()) {
            chain = List.of();
        } else {
            chain = parent == null ? middlewares : parent.middlewaresThen(middlewares);
        }
        Middleware authentication = server.connectAuthentication();
        if (authentication != null) {
            List<Middleware> all = new ArrayList<>(chain.size() + 1);
            all.add(authentication);
            all.addAll(chain);
            chain = all;
        }
        MiddlewareChain.run(chain, (m, next) -> m.handle(socket, next), () -> connect(client, socket, claim), error -> {
            if (socket.client().isOpen()) {
                socket.refuse(error);
            }
        });
    }

    /**
     * A recovery for a socket of this namespace that still looks connected on another connection.
     * Either its client declared that connection dead (its heartbeat found it frozen) before the
     * server noticed, or the client left on purpose and its DISCONNECT, sent on the old connection
     * just before the new one opened, has not been read yet (socket.io-client's {@code disconnect()}
     * then {@code connect()}: a separate HTTP request, which can lose the race). The old socket gets
     * {@link #SUPERSEDE_GRACE_MILLIS} to end by itself: a DISCONNECT then stores no session and this
     * CONNECT gets a fresh one, as from the reference server. Still connected after that, its
     * connection is closed as lost, synchronously and before the session is looked up: its sockets'
     * sessions are stored (a recoverable reason), their disconnect handlers run once, and the lookup
     * that follows finds the session. Done on one thread rather than left to the engine session's
     * close callback, which runs later on the timer: the restore would then race the old socket's
     * removal from its rooms under the same id. The engine session's own close callback finds no
     * socket left and stores nothing again.
     */
    private void supersedeThenAdd(Socket old, Client client, JsonObject auth, RecoveryClaim claim) {
        AtomicBoolean added = new AtomicBoolean();
        Runnable add = () -> {
            if (added.compareAndSet(false, true) && client.isOpen()) {
                addNow(client, auth, claim);
            }
        };
        old.whenClosed(add);
        server.schedule(() -> {
            if (!added.get() && client.isOpen()) {
                LOG.fine(() -> "recovery of " + old.id() + " on " + client.id() + " while " + old.client().id()
                        + " still looked open: closing it as lost");
                // The old socket's close runs add when it is done, here or, if another thread is closing it
                // already, there: never before its session is stored.
                old.client().closeAsLost();
            }
        }, SUPERSEDE_GRACE_MILLIS);
    }

    private void connect(Client client, Socket socket, RecoveryClaim claim) {
        if (!client.isOpen() || client.hasNamespace(name)) {
            return; // the connection ended during middleware, or a duplicate CONNECT
        }
        if (socket.recovered()) {
            // Claimed for good now, at once with respect to broadcasts: rejoined rooms, the CONNECT
            // reply, then the missed packets, before anything broadcast later.
            SessionLookup restored = adapter.restoreSession(claim.pid(), claim.offset(), () -> admit(client, socket));
            if (!restored.found()) {
                // Lost since the lookup (expired, claimed by another connection, bound reached):
                // a fresh session, under a new id since the old one may be in use again.
                socket.recoveryFailed(restored.failure());
                admit(client, socket);
            }
        } else {
            admit(client, socket);
        }
        if (socket.recovered()) {
            server.stats().recovered(true);
        } else if (socket.recoveryFailure().isPresent()) {
            server.stats().recovered(false);
        }
        ServerObserver observer = server.observer();
        if (observer != null && socket.connected()) {
            if (socket.recovered()) {
                // The adapter rejoined the old session's rooms itself (restoreSession), not through
                // Socket.join: told here, before the socket, as the reference's adapter emits its
                // join-room events while it restores the session.
                for (String room : socket.rooms()) {
                    if (!room.equals(socket.id())) {
                        observer.roomJoined(socket, room);
                    }
                }
            }
            observer.socketConnected(socket);
        }
        List<Consumer<Socket>> handlers = parent == null ? connectionHandlers
                : parent.connectionHandlersThen(connectionHandlers);
        for (Consumer<Socket> h : handlers) {
            try {
                h.accept(socket);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "connection handler failed in namespace " + name, e);
            }
        }
        socket.connectionHandlersRan();
    }

    private void admit(Client client, Socket socket) {
        sockets.put(socket.id(), socket);
        String pid = socket.pid();
        if (pid != null) {
            byPid.put(pid, socket);
        }
        client.added(socket);
        server.stats().connected();
        socket.onConnect();
    }

    /** The adapter's narrow view of this namespace. */
    private final class Context implements AdapterContext {
        @Override
        public long nextAckId() {
            return Namespace.this.nextAckId();
        }

        @Override
        public String namespace() {
            return name;
        }

        @Override
        public PreparedPacket prepare(SocketPacket packet) {
            return Outgoing.of(packet);
        }

        // Every adapter delivery is one recipient of a broadcast (with recovery on, also a socket's
        // own emit and a restored session's missed events): a batch, which the WebSocket writer
        // gathers rather than writing each recipient's frame on this thread.
        @Override
        public boolean deliver(String socketId, PreparedPacket packet, BroadcastOptions options) {
            Socket s = sockets.get(socketId);
            if (s == null) {
                return false;
            }
            server.stats().delivered();
            s.write(((Outgoing) packet).compressed(options.flags().compress()), options.flags().volatileSend(),
                    Delivery.BATCH);
            return true;
        }

        @Override
        public Optional<SocketDetails> describe(String socketId) {
            Socket s = sockets.get(socketId);
            if (s == null) {
                return Optional.empty();
            }
            return Optional.of(new SocketDetails(s.id(), s.handshake().toJson(), s.rooms(), s.dataAsJson()));
        }

        @Override
        public void join(String socketId, Set<String> rooms) {
            Socket s = sockets.get(socketId);
            if (s != null) {
                s.join(rooms.toArray(String[]::new));
            }
        }

        @Override
        public void leave(String socketId, Set<String> rooms) {
            Socket s = sockets.get(socketId);
            if (s != null) {
                rooms.forEach(s::leave);
            }
        }

        @Override
        public void disconnect(String socketId, boolean close) {
            Socket s = sockets.get(socketId);
            if (s != null) {
                s.disconnect(close);
            }
        }

        @Override
        public void serverSideEvent(SocketPacket event, Consumer<Args> answer) {
            JsonArray data = (JsonArray) event.data();
            String name = data.getString(0, "");
            List<EventHandler> handlers = serverSideHandlers.get(name);
            if (handlers == null) {
                return; // as socket.io: a node without a handler does not answer
            }
            Args args = new Args(PayloadValues.decode(data, 1, event.attachments()));
            AtomicBoolean answered = new AtomicBoolean(answer == null);
            Ack ack = new Ack() {
                @Override
                public boolean requested() {
                    return answer != null;
                }

                @Override
                public void send(Object... values) {
                    if (answered.compareAndSet(false, true)) {
                        answer.accept(new Args(Arrays.asList(values)));
                    }
                }
            };
            for (EventHandler h : handlers) {
                try {
                    h.handle(args, ack);
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "server-side event handler for '" + name + "' failed in namespace "
                            + Namespace.this.name, e);
                }
            }
        }

        @Override
        public boolean deliver(String socketId, PreparedPacket packet, BroadcastOptions options, AckListener acks) {
            Socket s = sockets.get(socketId);
            if (s == null) {
                return false;
            }
            Outgoing out = (Outgoing) packet;
            server.stats().delivered();
            s.expectAck(out.ackId(), acks); // before the write: the answer may come back at once
            s.write(out.compressed(options.flags().compress()), options.flags().volatileSend(), Delivery.BATCH);
            return true;
        }
    }

    @Override
    public String toString() {
        return "Namespace[" + name + "]";
    }
}
