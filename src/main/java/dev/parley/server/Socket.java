package dev.parley.server;

import dev.parley.adapter.AckListener;
import dev.parley.adapter.BroadcastOptions;
import dev.parley.adapter.PersistedSession;
import dev.parley.adapter.RecoveryFailure;
import dev.parley.adapter.SessionLookup;
import dev.parley.auth.Identity;
import dev.parley.engine.Delivery;
import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineSession;
import dev.parley.engine.TokenBucket;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A client's presence in one namespace, as Socket.IO's server-side {@code Socket}: it receives
 * events ({@link #on}, {@link #onAny}), emits to its client ({@link #emit}, {@link #emitWithAck}),
 * joins and leaves rooms, and broadcasts to others ({@link #to}, {@link #broadcast()}).
 * Thread-safe; handlers run on the thread that delivered the packet (for a packet that came while the
 * namespace's connection handlers were still running, on the thread that ran them, right after them).
 */
public final class Socket {

    private static final Logger LOG = Logger.getLogger(Socket.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ID_ENCODING = Base64.getUrlEncoder().withoutPadding();
    private static final VarHandle CLOSE_REASON;

    static {
        try {
            CLOSE_REASON = MethodHandles.lookup().findVarHandle(Socket.class, "closeReason", DisconnectReason.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /**
     * Packets a socket keeps while its connection handlers run: a reconnected client flushes its send buffer
     * then (Parley's Java client buffers at most 1,000 by default); beyond, the connection is closed.
     */
    static final int MAX_EARLY_PACKETS = 1_000;

    // Final but for a recovery that fails after the middleware saw the old session's id (see recoveryFailed).
    private volatile String id;
    private volatile String pid; // the private session id, null when recovery is off
    private volatile boolean recovered;
    private volatile RecoveryFailure recoveryFailure;
    private final Namespace namespace;
    private final Client client;
    /**
     * The CONNECT packet's {@code auth}; the rest of {@link #handshake()} is the connection's request, which
     * the engine session keeps anyway: a {@link Handshake} record per socket only repeated it (48 bytes).
     */
    private final JsonObject auth;
    /*
     * Most sockets never use most of what follows, and a server holds tens of thousands of them: each map
     * is created on first use (null until then), and the other listeners share one empty holder until the
     * first of them (SocketListeners). Both happen under listenersLock, and the fields are volatile, so a
     * reader sees either nothing yet or the one collection every writer uses.
     * The event handlers are an immutable map of immutable lists, replaced whole under listenersLock on
     * each on/off: registering is rare and mostly happens once per socket, and a socket with two events
     * then holds about 130 bytes for them instead of a ConcurrentHashMap and a CopyOnWriteArrayList per
     * event (about 340), or nothing when another socket of the namespace holds an equal map (the same
     * handler objects: HandlerMaps). A reader takes the map once and iterates a snapshot, as it did with
     * the lists.
     */
    private final Object listenersLock = new Object(); // also guards the early packets (see ready)
    private volatile Map<String, Object> data; // see data()
    private volatile Map<String, List<EventHandler>> handlers; // immutable, replaced whole; see on()
    private volatile SocketListeners listeners = SocketListeners.NONE; // replaced under listenersLock; see own()
    private volatile Map<Long, PendingAck> acks; // see acks()
    // Plain volatile fields rather than an AtomicBoolean and an AtomicReference: 32 bytes less per socket.
    private volatile boolean closed;
    /** Why this socket closed, set once ({@link #CLOSE_REASON}) before {@link #closed}: a late ack fails with it. */
    private volatile DisconnectReason closeReason;
    /**
     * Set once {@link #onClose} has done all but telling its watchers: a watcher added later runs at once.
     * Not {@link #closed}, which is set when the close begins, before the session is stored.
     */
    private volatile boolean closeFinished;
    private final TokenBucket eventBucket;
    private final TokenBucket patience;
    private volatile boolean connected;
    /**
     * The namespace's connection handlers have run, so the socket's event handlers are in place. The
     * CONNECT reply goes out before them (a handler's emits must follow it), and a client may answer it at
     * once, on another thread (a WebSocket after an upgrade, an asynchronous middleware): such packets wait
     * in {@link #early}, in order, instead of finding no handler. Guarded by {@link #listenersLock} until true.
     */
    private volatile boolean ready;
    /** Guarded by {@link #listenersLock}: created by the first early packet, dropped once {@link #ready}. */
    private ArrayDeque<SocketPacket> early;
    private volatile Identity principal;
    private volatile ScheduledFuture<?> expiry;

    /**
     * @param previous what the adapter found for the recovery the CONNECT asked for, or {@code null}
     *                 when it asked for none (or recovery is off)
     */
    Socket(Namespace namespace, Client client, JsonObject auth, SessionLookup previous) {
        this.namespace = namespace;
        this.client = client;
        this.auth = auth;
        this.principal = client.identity();
        ParleyOptions options = namespace.server().options();
        if (options.eventRate() > 0) {
            eventBucket = new TokenBucket(options.eventRate(), options.eventBurst());
            // Forgives maxRefusedEvents drops per 10 s: a burst now and then is dropped, a client
            // that keeps pushing past the limit is cut off.
            patience = new TokenBucket(options.maxRefusedEvents() / 10.0, options.maxRefusedEvents());
        } else {
            eventBucket = null;
            patience = null;
        }
        if (previous != null && previous.found()) {
            PersistedSession session = previous.session();
            this.id = session.sid();
            this.pid = session.pid();
            this.recovered = true;
            if (!session.data().isEmpty()) {
                data().putAll(session.data());
            }
            // The identity middleware gave the old session stays, as its data does, unless this
            // connection's handshake brings one.
            if (principal == null && session.data().get("principal") instanceof Identity kept) {
                principal = kept;
            }
        } else {
            this.id = newId();
            this.pid = options.recoveryEnabled() ? newId() : null;
            this.recoveryFailure = previous == null ? null : previous.failure();
        }
        if (principal != null) {
            data().put("principal", principal);
        }
    }

    /** This socket's own listeners, made on the first one; call under {@link #listenersLock}. */
    private SocketListeners own() {
        SocketListeners mine = listeners;
        if (mine == SocketListeners.NONE) {
            mine = new SocketListeners();
            listeners = mine;
        }
        return mine;
    }

    /** {@code list} if it is already one to add to, else a new one in its place (it was the shared empty list). */
    private static <T> List<T> writable(List<T> list) {
        return list instanceof CopyOnWriteArrayList<T> ? list : new CopyOnWriteArrayList<>();
    }

    /** 120 random bits, 20 URL-safe characters: a socket id or a private session id. */
    private static String newId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return ID_ENCODING.encodeToString(bytes);
    }

    /** The socket id, unique and unguessable; also the name of the socket's own room. */
    public String id() {
        return id;
    }

    public Namespace namespace() {
        return namespace;
    }

    /**
     * What this socket knows of its connection: built on each call from the request the connection
     * keeps (the maps are the request's own, shared, immutable), so equal from one call to the next.
     */
    public Handshake handshake() {
        EngineSession conn = client.conn();
        EngineRequest r = conn.request();
        return new Handshake(r.headers(), r.remoteAddress(), r.header("Origin") != null, r.secure(),
                conn.createdAt(), r.url(), r.query(), auth);
    }

    /**
     * Who this socket belongs to: the identity the server's authenticator gave the connection at
     * its handshake, or the one namespace middleware set ({@link Authorize#authenticate}); {@code null}
     * for an anonymous socket.
     */
    public Identity principal() {
        return principal;
    }

    /**
     * Sets the socket's identity (from middleware, before it connects); also kept as
     * {@code data().get("principal")} for code that only looks at {@link #data()}.
     */
    public Socket principal(Identity identity) {
        this.principal = identity;
        if (identity == null) {
            Map<String, Object> current = data;
            if (current != null) {
                current.remove("principal");
            }
        } else {
            data().put("principal", identity);
        }
        return this;
    }

    /**
     * Free-form data attached to this socket by the application ({@code socket.data}). Its own mutators
     * ({@code put}, {@code remove}, ...) on a connected socket are told to the server's observer (the Admin
     * UI's {@code socket_updated}); see {@link SocketData}.
     */
    public Map<String, Object> data() {
        Map<String, Object> current = data;
        if (current == null) {
            synchronized (listenersLock) {
                current = data;
                if (current == null) {
                    current = new SocketData(this);
                    data = current;
                }
            }
        }
        return current;
    }

    /**
     * This socket's data as JSON, as other nodes ({@code fetchSockets}) and the Admin UI see it: each value
     * JSON can carry without binary attachments; the others are left out.
     */
    public JsonObject dataAsJson() {
        Map<String, Object> current = data;
        return current == null ? JsonValue.EMPTY_JSON_OBJECT : dataAsJson(current);
    }

    /** {@code data} as {@link #dataAsJson()} renders a socket's: the values JSON can carry, the others left out. */
    public static JsonObject dataAsJson(Map<String, Object> data) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            try {
                List<byte[]> attachments = new ArrayList<>();
                JsonValue v = PayloadValues.toJson(e.getValue(), attachments);
                if (attachments.isEmpty()) {
                    out.add(e.getKey(), v);
                }
            } catch (RuntimeException notJson) {
                LOG.finest(() -> "data '" + e.getKey() + "' left out of a socket's description: " + notJson);
            }
        }
        return out.build();
    }

    /** The pending acknowledgements by id, created on the first one. */
    private Map<Long, PendingAck> acks() {
        Map<Long, PendingAck> current = acks;
        if (current == null) {
            synchronized (listenersLock) {
                current = acks;
                if (current == null) {
                    current = new ConcurrentHashMap<>();
                    acks = current;
                }
            }
        }
        return current;
    }

    /** Removes and returns the pending acknowledgement {@code ackId}, or {@code null} if none waits. */
    private PendingAck removeAck(long ackId) {
        Map<Long, PendingAck> current = acks;
        return current == null ? null : current.remove(ackId);
    }

    public boolean connected() {
        return connected;
    }

    /**
     * Whether this socket is a session restored by connection state recovery: same id, rooms and
     * {@code data} as before its connection was lost, and the events it missed sent first.
     */
    public boolean recovered() {
        return recovered;
    }

    /**
     * Why this socket is a fresh session although its client asked to recover one (it sent a
     * {@code pid}); empty when it was recovered or asked for nothing.
     */
    public Optional<RecoveryFailure> recoveryFailure() {
        return Optional.ofNullable(recoveryFailure);
    }

    /** The Engine.IO session id of the underlying connection (shared by its namespaces). */
    public String connectionId() {
        return client.id();
    }

    /** The current transport: {@code polling} or {@code websocket}. */
    public String transport() {
        return client.conn().transportName();
    }

    // ---------------------------------------------------------------- receiving

    /** Adds a handler for an event. */
    public Socket on(String event, EventHandler handler) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(handler, "handler");
        synchronized (listenersLock) {
            Map<String, List<EventHandler>> current = handlers;
            Map<String, List<EventHandler>> next = current == null ? new HashMap<>(2) : new HashMap<>(current);
            List<EventHandler> those = next.get(event);
            next.put(event, those == null ? List.of(handler) : appended(those, handler));
            handlers = namespace.handlerMaps().shared(Map.copyOf(next));
        }
        return this;
    }

    /** Removes every handler of an event. */
    public Socket off(String event) {
        synchronized (listenersLock) {
            Map<String, List<EventHandler>> current = handlers;
            if (current != null && current.containsKey(event)) {
                Map<String, List<EventHandler>> next = new HashMap<>(current);
                next.remove(event);
                handlers = namespace.handlerMaps().shared(Map.copyOf(next));
            }
        }
        return this;
    }

    private static <T> List<T> appended(List<T> list, T item) {
        List<T> out = new ArrayList<>(list.size() + 1);
        out.addAll(list);
        out.add(item);
        return List.copyOf(out);
    }

    /** Adds a handler that sees every incoming event. */
    public Socket onAny(AnyEventHandler handler) {
        synchronized (listenersLock) {
            SocketListeners mine = own();
            mine.anyHandlers = writable(mine.anyHandlers);
            mine.anyHandlers.add(handler);
        }
        return this;
    }

    /** Adds packet middleware, run before handlers for every incoming event. */
    public Socket use(PacketMiddleware middleware) {
        synchronized (listenersLock) {
            SocketListeners mine = own();
            mine.middlewares = writable(mine.middlewares);
            mine.middlewares.add(middleware);
        }
        return this;
    }

    /** Called as the socket is about to disconnect, while it is still in its rooms. */
    public Socket onDisconnecting(DisconnectHandler handler) {
        synchronized (listenersLock) {
            SocketListeners mine = own();
            mine.disconnectingHandlers = writable(mine.disconnectingHandlers);
            mine.disconnectingHandlers.add(handler);
        }
        return this;
    }

    public Socket onDisconnect(DisconnectHandler handler) {
        synchronized (listenersLock) {
            SocketListeners mine = own();
            mine.disconnectHandlers = writable(mine.disconnectHandlers);
            mine.disconnectHandlers.add(handler);
        }
        return this;
    }

    /** Receives errors from packet middleware ({@link Next#fail}). */
    public Socket onError(Consumer<Exception> handler) {
        synchronized (listenersLock) {
            SocketListeners mine = own();
            mine.errorHandlers = writable(mine.errorHandlers);
            mine.errorHandlers.add(handler);
        }
        return this;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Emits an event to this socket's client. {@code args} are converted by {@link PayloadValues#encode}:
     * JSON-P values, strings, numbers, booleans, {@code byte[]}/{@code ByteBuffer} (binary attachments),
     * maps, collections and arrays directly; records, JavaBeans and any other object through JSON-B
     * (once per call), at any nesting level. With connection state recovery on, the event goes
     * through the adapter as a broadcast to this socket's own room: it carries an offset and is
     * kept for this socket should its connection be lost.
     *
     * @throws IllegalArgumentException when an argument cannot be converted (JSON-B's reason in the message)
     * @throws IllegalStateException when an argument needs JSON-B and no implementation is available
     */
    public Socket emit(String event, Object... args) {
        emit(true, event, args);
        return this;
    }

    /**
     * Emits with Socket.IO's {@code compress} flag: {@code socket.compress(false).emit(...)} sends that
     * event uncompressed on any transport (see {@link BroadcastOperator#compress}); true is
     * {@link #emit}'s default. The flag holds for the emits made through the returned emitter only.
     */
    public SocketEmitter compress(boolean compress) {
        return new SocketEmitter(this, compress);
    }

    void emit(boolean compress, String event, Object... args) {
        checkEvent(event);
        PayloadValues.Encoded enc = PayloadValues.encode(event, args);
        ServerObserver observer = namespace.server().observer();
        if (observer != null) {
            observer.eventSent(this, event, args);
        }
        SocketPacket packet = SocketPacket.event(namespace.name(), enc.array(), SocketPacket.NO_ACK, enc.attachments());
        if (pid != null) {
            // Through the adapter, as a broadcast to this socket's own room: it gets its offset and
            // is kept for a recovery like any broadcast (and a cluster adapter could carry it).
            BroadcastOptions own = BroadcastOptions.everyone().to(id);
            namespace.adapter().broadcast(packet, compress ? own : own.with(own.flags().withCompress(false)));
        } else {
            client.write(packet, compress);
        }
    }

    /**
     * Emits an event (arguments as for {@link #emit}, thrown the same way when they cannot be sent)
     * and waits for the client's acknowledgement; the future fails with a
     * {@link TimeoutException} after {@code timeout}, or when the socket disconnects first.
     */
    public CompletableFuture<Args> emitWithAck(Duration timeout, String event, Object... args) {
        return emitWithAck(true, timeout, event, args);
    }

    CompletableFuture<Args> emitWithAck(boolean compress, Duration timeout, String event, Object... args) {
        checkEvent(event);
        PayloadValues.Encoded enc = PayloadValues.encode(event, args); // first: if it fails, nothing waits for an ack
        long ackId = namespace.nextAckId();
        CompletableFuture<Args> future = new CompletableFuture<>();
        ScheduledFuture<?> timer = namespace.server().schedule(() -> {
            if (removeAck(ackId) != null) {
                namespace.server().stats().ackTimedOut();
                future.completeExceptionally(new TimeoutException("no acknowledgement for '" + event + "' within "
                        + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis());
        acks().put(ackId, new PendingAck(future::complete, future::completeExceptionally, timer));
        if (closed && removeAck(ackId) != null) {
            timer.cancel(false); // closed as it was registered: nothing will answer
            future.completeExceptionally(lostAck());
            return future;
        }
        ServerObserver observer = namespace.server().observer();
        if (observer != null) {
            observer.eventSent(this, event, args);
        }
        client.write(SocketPacket.event(namespace.name(), enc.array(), ackId, enc.attachments()), compress);
        return future;
    }

    /**
     * Registers a pending acknowledgement for a packet sent by a broadcast with the same id: the
     * answer goes to {@code listener}, or the loss if this socket disconnects before answering.
     */
    void expectAck(long ackId, AckListener listener) {
        acks().put(ackId, new PendingAck(listener::answered, listener::lost, null));
        if (closed && removeAck(ackId) != null) {
            listener.lost(lostAck()); // closed as it was registered
        }
    }

    void cancelAck(long ackId) {
        removeAck(ackId);
    }

    void write(Outgoing packet, boolean volatileSend, Delivery delivery) {
        client.write(packet, volatileSend, delivery);
    }

    // ---------------------------------------------------------------- rooms and broadcast

    public Socket join(String... rooms) {
        ServerObserver observer = namespace.server().observer();
        if (observer == null) {
            namespace.adapter().addAll(id, Set.of(rooms));
            return this;
        }
        Set<String> before = Set.copyOf(rooms());
        namespace.adapter().addAll(id, Set.of(rooms));
        for (String room : rooms) {
            if (!before.contains(room)) {
                observer.roomJoined(this, room);
            }
        }
        return this;
    }

    public Socket leave(String room) {
        ServerObserver observer = namespace.server().observer();
        boolean wasIn = observer != null && rooms().contains(room);
        namespace.adapter().del(id, room);
        if (wasIn) {
            observer.roomLeft(this, room);
        }
        return this;
    }

    /** The rooms this socket is in, its own id room included. */
    public Set<String> rooms() {
        return namespace.adapter().socketRooms(id);
    }

    /** Broadcast to a room, excluding this socket. */
    public BroadcastOperator to(String... rooms) {
        return broadcast().to(rooms);
    }

    /** Same as {@link #to}. */
    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** Broadcast to every socket of the namespace except the given rooms and this socket. */
    public BroadcastOperator except(String... rooms) {
        return broadcast().except(rooms);
    }

    /** Broadcast to every other socket of the namespace. */
    public BroadcastOperator broadcast() {
        return new BroadcastOperator(namespace, BroadcastOptions.everyone().except(id));
    }

    /**
     * Disconnects this socket from its namespace ({@code close=false}), or closes the whole
     * connection and all its namespaces ({@code close=true}).
     */
    public void disconnect(boolean close) {
        if (!connected) {
            return;
        }
        if (close) {
            client.disconnectAll();
            return;
        }
        client.write(SocketPacket.disconnect(namespace.name()));
        onClose(DisconnectReason.SERVER_NAMESPACE_DISCONNECT, "server namespace disconnect");
    }

    // ---------------------------------------------------------------- lifecycle (package)

    /** Joins the own room, sends the CONNECT packet, and becomes visible to the namespace. */
    void onConnect() {
        join(id);
        connected = true;
        sendConnectReply();
        // After the reply: credentials already past their exp (accepted within the clock skew) expire
        // at once, on the timer, and their DISCONNECT must not overtake the CONNECT it ends.
        scheduleExpiry();
    }

    /**
     * Tells the client it is connected: at the join, and again for a CONNECT it repeats once joined
     * ({@code socket.connect()} on a socket that connected by itself sends one), so it never waits.
     */
    void sendConnectReply() {
        client.write(SocketPacket.connected(namespace.name(), id, pid));
    }

    /** The private session id, {@code null} when recovery is off; final once the socket is admitted. */
    String pid() {
        return pid;
    }

    /**
     * The session found for this socket was gone when it came to be claimed: it connects as a
     * fresh one, with a new id (another connection may hold the old one), a new private session id
     * (so its client sees {@code recovered === false}) and none of the old data.
     */
    void recoveryFailed(RecoveryFailure why) {
        id = newId();
        pid = newId();
        recovered = false;
        recoveryFailure = why;
        Map<String, Object> current = data;
        if (current != null) {
            current.clear();
        }
        Identity who = principal; // this connection's, or the old session's: the same client, it held the pid
        if (who != null) {
            data().put("principal", who);
        }
    }

    /**
     * A namespace-level identity that expires disconnects this socket then; the connection's own
     * identity is the {@link Client}'s to watch, since it ends the whole connection.
     */
    private void scheduleExpiry() {
        Identity who = principal;
        if (!namespace.server().options().disconnectOnExpiry() || who == null || who.expiresAt() == null
                || who == client.identity()) {
            return;
        }
        expiry = namespace.server().atExpiry(who, () -> {
            if (connected) {
                LOG.fine(() -> "socket " + id + ": credentials expired");
                disconnect(false);
            }
        });
    }

    void onPacket(SocketPacket packet) {
        if (!connected) {
            return;
        }
        if (!ready) {
            boolean overflow;
            synchronized (listenersLock) {
                if (!ready) {
                    if (early == null) {
                        early = new ArrayDeque<>();
                    }
                    overflow = early.size() >= MAX_EARLY_PACKETS;
                    if (!overflow) {
                        early.add(packet);
                        return;
                    }
                } else {
                    overflow = false;
                }
            }
            if (overflow) {
                LOG.warning(() -> "socket " + id + ": more than " + MAX_EARLY_PACKETS
                        + " packets before the connection handlers finished, closing the connection");
                disconnect(true);
                return;
            }
        }
        handle(packet);
    }

    /**
     * The namespace's connection handlers have run: the packets that came meanwhile are handled now, in
     * order, on this thread; later ones as they come. {@link #ready} turns true only with none waiting, so
     * a packet can never overtake an earlier one.
     */
    void connectionHandlersRan() {
        while (true) {
            SocketPacket next;
            synchronized (listenersLock) {
                next = early == null ? null : early.poll();
                if (next == null) {
                    early = null;
                    ready = true;
                    return;
                }
            }
            if (connected) {
                handle(next);
            }
        }
    }

    private void handle(SocketPacket packet) {
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> onEvent(packet);
            case ACK, BINARY_ACK -> onAck(packet);
            case DISCONNECT -> onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT, "client namespace disconnect");
            default -> {
                // CONNECT is routed by the client; CONNECT_ERROR is never sent by clients.
            }
        }
    }

    private void onEvent(SocketPacket packet) {
        JsonArray data = (JsonArray) packet.data();
        Object first = PayloadValues.fromJson(data.get(0), packet.attachments());
        String event = String.valueOf(first);
        // Checked before the arguments are decoded: a flood is dropped at the least cost.
        long now = System.nanoTime();
        if (eventBucket != null && !eventBucket.tryTake(now)) {
            if (!patience.tryTake(now)) {
                LOG.fine(() -> "socket " + id + ": event rate exceeded again and again, closing the connection");
                disconnect(true);
                return;
            }
            reportError(new EventRefusedException(event, 429, "rate limit exceeded"));
            return;
        }
        Args args = new Args(PayloadValues.decode(data, 1, packet.attachments()));
        Ack ack = packet.hasAck() ? new ClientAck(packet.ackId()) : NO_ACK;
        MiddlewareChain.run(listeners.middlewares, (m, next) -> m.handle(event, args, next),
                () -> dispatch(event, args, ack), this::reportError);
    }

    private void dispatch(String event, Args args, Ack ack) {
        if (!connected) {
            return;
        }
        ServerObserver observer = namespace.server().observer();
        if (observer != null) {
            observer.eventReceived(this, event, args);
        }
        for (AnyEventHandler h : listeners.anyHandlers) {
            try {
                h.handle(event, args);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "onAny handler failed on socket " + id, e);
            }
        }
        Map<String, List<EventHandler>> byEvent = handlers;
        List<EventHandler> list = byEvent == null ? null : byEvent.get(event);
        if (list == null) {
            return;
        }
        for (EventHandler h : list) {
            try {
                h.handle(args, ack);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "handler for '" + event + "' failed on socket " + id, e);
            }
        }
    }

    private void reportError(Exception error) {
        if (error instanceof EventRefusedException refused && connected) {
            emit(EventRefusedException.CLIENT_EVENT, refused.toClient());
        }
        List<Consumer<Exception>> errorHandlers = listeners.errorHandlers;
        if (errorHandlers.isEmpty()) {
            LOG.log(Level.FINE, "packet refused by middleware on socket " + id, error);
        }
        for (Consumer<Exception> h : errorHandlers) {
            try {
                h.accept(error);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "error handler failed on socket " + id, e);
            }
        }
    }

    private void onAck(SocketPacket packet) {
        PendingAck pending = removeAck(packet.ackId());
        if (pending == null) {
            return; // late (timed out) or unknown: nothing waits for it
        }
        if (pending.timer() != null) {
            pending.timer().cancel(false);
        }
        JsonArray data = (JsonArray) packet.data();
        pending.answered().accept(new Args(PayloadValues.decode(data, 0, packet.attachments())));
    }

    /** Leaves every room and the namespace and tells the handlers; idempotent. */
    void onClose(DisconnectReason reason, String description) {
        if (!CLOSE_REASON.compareAndSet(this, (DisconnectReason) null, reason)) {
            return;
        }
        closed = true;
        boolean wasConnected = connected;
        if (wasConnected) {
            namespace.server().stats().disconnected(reason);
            for (DisconnectHandler h : listeners.disconnectingHandlers) {
                safely(h, reason, description);
            }
        }
        ScheduledFuture<?> expiryTask = expiry;
        if (expiryTask != null) {
            expiryTask.cancel(false);
        }
        if (wasConnected && namespace.server().recovery().recoverable(reason)) {
            namespace.adapter().persistSession(new PersistedSession(id, pid, rooms(), data()));
        }
        ServerObserver observer = wasConnected ? namespace.server().observer() : null;
        Set<String> left = observer == null ? Set.of() : Set.copyOf(rooms());
        namespace.adapter().delAll(id);
        for (String room : left) {
            observer.roomLeft(this, room);
        }
        namespace.remove(this);
        client.removed(this);
        connected = false;
        Map<Long, PendingAck> pendingAcks = acks;
        for (Map.Entry<Long, PendingAck> e : pendingAcks == null ? Map.<Long, PendingAck>of().entrySet()
                : pendingAcks.entrySet()) {
            if (pendingAcks.remove(e.getKey()) != null) {
                if (e.getValue().timer() != null) {
                    e.getValue().timer().cancel(false);
                }
                e.getValue().lost().accept(new SocketDisconnectedException(id, reason));
            }
        }
        if (observer != null) {
            observer.socketDisconnected(this, reason);
        }
        if (wasConnected) {
            for (DisconnectHandler h : listeners.disconnectHandlers) {
                safely(h, reason, description);
            }
        }
        closeFinished = true;
        List<Runnable> watchers = listeners.closeWatchers; // read after closeFinished is set: see whenClosed
        for (Runnable watcher : watchers) {
            if (watchers.remove(watcher)) {
                watcher.run();
            }
        }
    }

    /**
     * Runs {@code watcher} once when this socket has closed (its session stored if its reason was
     * recoverable, gone from its namespace and rooms): at once, on this thread, if it has already.
     */
    void whenClosed(Runnable watcher) {
        List<Runnable> watchers;
        synchronized (listenersLock) {
            SocketListeners mine = own();
            watchers = writable(mine.closeWatchers);
            mine.closeWatchers = watchers;
        }
        watchers.add(watcher);
        // Either this sees closeFinished, or onClose's loop (which starts after setting it) sees the watcher;
        // the one that removes it runs it. A close still under way (session not stored yet) runs it at its end.
        if (closeFinished && watchers.remove(watcher)) {
            watcher.run();
        }
    }

    /** The error of an acknowledgement this closed socket will never send. */
    private SocketDisconnectedException lostAck() {
        DisconnectReason reason = closeReason;
        return new SocketDisconnectedException(id, reason == null ? DisconnectReason.FORCED_CLOSE : reason);
    }

    private void safely(DisconnectHandler h, DisconnectReason reason, String description) {
        try {
            h.handle(reason, description);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "disconnect handler failed on socket " + id, e);
        }
    }

    static void checkEvent(String event) {
        if (event == null || SocketPacket.RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
    }

    /** Sends a CONNECT_ERROR for this socket's namespace (middleware refused it). */
    void refuse(Exception error) {
        JsonObjectBuilder b = Jsonp.PROVIDER.createObjectBuilder().add("message", String.valueOf(error.getMessage()));
        if (error instanceof ConnectError ce && ce.data() != null) {
            b.add("data", PayloadValues.toJson(ce.data(), new ArrayList<>()));
        }
        JsonObject payload = b.build();
        client.write(SocketPacket.connectError(namespace.name(), payload));
    }

    Client client() {
        return client;
    }

    @Override
    public String toString() {
        return "Socket[" + id + " " + namespace.name() + "]";
    }

    /** Who waits for one answer: its own emitWithAck's future (with a timer), or a broadcast's listener. */
    private record PendingAck(Consumer<Args> answered, Consumer<Exception> lost, ScheduledFuture<?> timer) {
    }

    private static final Ack NO_ACK = new Ack() {
        @Override
        public boolean requested() {
            return false;
        }

        @Override
        public void send(Object... args) {
        }
    };

    /** The acknowledgement of one client event: sends an ACK packet, once. */
    private final class ClientAck implements Ack {
        private final long ackId;
        private final AtomicBoolean sent = new AtomicBoolean();

        ClientAck(long ackId) {
            this.ackId = ackId;
        }

        @Override
        public boolean requested() {
            return true;
        }

        @Override
        public void send(Object... args) {
            if (sent.get() || !connected) {
                return;
            }
            // encoded before it counts as sent: arguments that cannot be sent leave the ack to a second try
            PayloadValues.Encoded enc = PayloadValues.encode(null, args);
            if (!sent.compareAndSet(false, true)) {
                return;
            }
            client.write(SocketPacket.ack(namespace.name(), ackId, enc.array(), enc.attachments()));
        }
    }
}
