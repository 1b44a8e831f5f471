package dev.parley.client;

import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client side of one namespace on a {@link ParleyClient} connection, like socket.io-client's
 * {@code Socket}: {@link #on} events, {@link #emit} and {@link #emitWithAck}, binary arguments
 * ({@code byte[]}) both ways. Arguments are converted as the server's {@code emit} does
 * ({@link PayloadValues}): records, JavaBeans and other objects go through JSON-B, which must then be
 * on the class path; received ones are read back with {@link Args#get(int, Class)}, e.g.
 * {@code socket.on("created", (args, reply) -> handle(args.get(0, Order.class)))}.
 * <p>Lifecycle: {@link #onConnect} at each (re)connection of the namespace, {@link #onDisconnect} with the reason
 * ("transport close", "ping timeout", "parse error", "io server disconnect", "io client disconnect"),
 * {@link #onConnectError} when the server refuses the namespace or a reconnection attempt fails. After a
 * connection loss the namespace reconnects with the client; after "io server disconnect" (the server removed it),
 * "io client disconnect" ({@link #disconnect()}, {@link ParleyClient#close()}) or a refusal it is inactive for
 * good ({@link #isActive()}) and its emits throw {@link IllegalStateException}.
 * <p>Emits made while the namespace is disconnected but active are kept, in order, and sent once after it
 * reconnects, before anything emitted later; at most {@link ClientOptions#sendBufferLimit} of them, the next
 * emit is refused with {@link SendBufferFullException}. An emit caught mid-write by the connection's end is not
 * sent again (it may have arrived). Pending acks of packets already sent fail when the connection is lost (the
 * server cannot answer them on a new session); those of buffered packets keep waiting, within their timeout.
 * <p><b>Ack retries</b> ({@link ClientOptions#retries} {@code > 0}, as socket.io-client 4.6+): every emit of the
 * namespace, with or without ack, goes through a queue and is sent with an ack id, one at a time: the next leaves
 * only when the one in flight is acknowledged or given up, so the server sees them in emit order (its handlers must
 * ack every event, or each waits for its timeout). A try not acknowledged within its timeout
 * ({@link #emitWithAck(Duration, String, Object...)}'s, else {@link ClientOptions#ackTimeout}) is sent again, the
 * same event under a new ack id; after {@code retries + 1} sends the emit fails ({@link TimeoutException}, logged
 * for a plain {@link #emit}) and the queue moves on. A connection lost while a try is in flight ends that try (it
 * counts, unless there is no timeout) and the packet is sent again as soon as the namespace reconnects. Delivery is
 * therefore <em>at-least-once</em>: a server that handled an event whose ack was lost sees it again. The queue
 * holds at most {@link ClientOptions#sendBufferLimit} emits, connected or not; it is failed when the namespace
 * becomes inactive.
 * <p>Listeners: {@link #on}, {@link #once}, {@link #off}; catch-all {@link #onAny} (every incoming event, before the
 * event's own listeners) and {@link #onAnyOutgoing} (every event as it is written). There is no
 * {@code timeout(...).emit(...)} chain: {@link #emitWithAck(Duration, String, Object...)} takes the timeout.
 * <p>Listeners and future completions run on the client's callback executor ({@link ClientOptions#callbackExecutor}),
 * never on the thread reading the WebSocket. Thread-safe.
 */
public final class ClientSocket {

    private static final Logger LOG = Logger.getLogger(ClientSocket.class.getName());

    /**
     * Handles an event from the server; {@code reply} answers the server's ack, if it asked, with
     * values converted as {@link #emit} converts its arguments.
     */
    @FunctionalInterface
    public interface Listener {
        void handle(Args args, Consumer<Object[]> reply);
    }

    /**
     * A catch-all listener ({@link #onAny}, {@link #onAnyOutgoing}): the event's name and its arguments, without
     * the ack (a specific listener answers it).
     */
    @FunctionalInterface
    public interface AnyListener {
        void handle(String event, Args args);
    }

    private final ParleyClient client;
    private final String namespace;
    private final Supplier<? extends Map<String, ?>> auth;
    private final int bufferLimit;
    private final Listeners listeners = new Listeners();
    /** The acks awaited, by ack id; completed on the thread that learns the outcome (reader, timer). */
    private final Map<Long, PendingAck> acks = new ConcurrentHashMap<>();
    private final int retries;
    private final long ackTimeoutMillis;
    private final AtomicLong ackIds = new AtomicLong();
    private final CompletableFuture<String> connected = new CompletableFuture<>();
    private final List<Runnable> connectHandlers = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> disconnectHandlers = new CopyOnWriteArrayList<>();
    private final List<Consumer<Throwable>> connectErrorHandlers = new CopyOnWriteArrayList<>();
    /** Guards the fields below; held while the send buffer is flushed, so a later emit cannot overtake it. */
    private final Object lock = new Object();
    private final ArrayDeque<SocketPacket> buffer = new ArrayDeque<>();
    /** With retries on: every emit, in order; the head is the one in flight. */
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private boolean active = true;
    private boolean isConnected;
    /** The connection the last CONNECT went out on: one CONNECT per connection. */
    private Object connectSentOn;
    private volatile String id;
    private volatile String pid;
    private volatile String lastOffset;
    private volatile boolean recovered;

    ClientSocket(ParleyClient client, String namespace, Supplier<? extends Map<String, ?>> auth, int bufferLimit) {
        this.client = client;
        this.namespace = namespace;
        this.auth = auth;
        this.bufferLimit = bufferLimit;
        this.retries = client.options().retries();
        this.ackTimeoutMillis = client.options().ackTimeoutMillis();
    }

    public String namespace() {
        return namespace;
    }

    /** The socket id the server assigned at the last (re)connection, or null while disconnected. */
    public String id() {
        return id;
    }

    /** Whether the namespace is connected now. */
    public boolean isConnected() {
        synchronized (lock) {
            return isConnected;
        }
    }

    /** False once the namespace will not reconnect: left, removed by the server, refused, or the client closed. */
    public boolean isActive() {
        synchronized (lock) {
            return active;
        }
    }

    /**
     * Whether the last (re)connection restored the server-side session (connection state recovery): same socket
     * id and rooms, and the events missed meanwhile delivered. Only a server that offers recovery (its CONNECT
     * reply carries a {@code pid}) can restore.
     */
    public boolean recovered() {
        return recovered;
    }

    /**
     * Completes with the socket id once the server first accepted the namespace; fails with a
     * {@link ConnectErrorException} when it refused (middleware, unknown namespace).
     */
    public CompletableFuture<String> connected() {
        return connected;
    }

    /** Adds a listener for {@code event}, called for each such event after the catch-all listeners. */
    public ClientSocket on(String event, Listener listener) {
        listeners.add(event, listener, false);
        return this;
    }

    /** Adds a listener called for the next {@code event} only, then removed. */
    public ClientSocket once(String event, Listener listener) {
        listeners.add(event, listener, true);
        return this;
    }

    /**
     * Removes one registration of {@code listener} for {@code event} (by identity: keep the lambda you gave), also
     * one made with {@link #once}. As in socket.io-client, the removal takes effect from the next event: an
     * event whose listeners are being called still reaches a listener another of them removed (a once listener
     * excepted: it never runs twice).
     */
    public ClientSocket off(String event, Listener listener) {
        listeners.remove(event, listener);
        return this;
    }

    /** Removes every listener of {@code event}. */
    public ClientSocket off(String event) {
        listeners.removeAll(event);
        return this;
    }

    /** Removes every event listener (not the catch-all ones, nor the lifecycle handlers). */
    public ClientSocket off() {
        listeners.removeAll();
        return this;
    }

    /**
     * Adds a catch-all listener, told of every incoming event before the event's own listeners (as
     * socket.io-client's {@code onAny}); acks from the server are not events and do not reach it.
     */
    public ClientSocket onAny(AnyListener listener) {
        listeners.addAny(listener, false);
        return this;
    }

    /** Adds a catch-all listener ahead of those already there. */
    public ClientSocket prependAny(AnyListener listener) {
        listeners.addAny(listener, true);
        return this;
    }

    /** Removes a catch-all listener (by identity). */
    public ClientSocket offAny(AnyListener listener) {
        listeners.removeAny(listener);
        return this;
    }

    /** Removes every catch-all listener. */
    public ClientSocket offAny() {
        listeners.removeAny(null);
        return this;
    }

    /**
     * Adds a listener told of each event this socket writes to the connection, when it is written: an emit made
     * while connected at once, a buffered one when it is flushed after the (re)connection, one sent again by
     * {@link ClientOptions#retries} at each try; always before the emit's ack future completes. An emit that is
     * refused or never leaves is not reported. Acks answering the server are not events and are not reported.
     */
    public ClientSocket onAnyOutgoing(AnyListener listener) {
        listeners.addAnyOutgoing(listener, false);
        return this;
    }

    /** Adds an outgoing catch-all listener ahead of those already there. */
    public ClientSocket prependAnyOutgoing(AnyListener listener) {
        listeners.addAnyOutgoing(listener, true);
        return this;
    }

    /** Removes an outgoing catch-all listener (by identity). */
    public ClientSocket offAnyOutgoing(AnyListener listener) {
        listeners.removeAnyOutgoing(listener);
        return this;
    }

    /** Removes every outgoing catch-all listener. */
    public ClientSocket offAnyOutgoing() {
        listeners.removeAnyOutgoing(null);
        return this;
    }

    /** Told at each (re)connection of the namespace, after the buffered emits went out. */
    public ClientSocket onConnect(Runnable handler) {
        connectHandlers.add(handler);
        return this;
    }

    /** Told with the reason each time the namespace goes from connected to disconnected. */
    public ClientSocket onDisconnect(Consumer<String> handler) {
        disconnectHandlers.add(handler);
        return this;
    }

    /**
     * Told when the server refuses the namespace ({@link ConnectErrorException}: the namespace is then inactive),
     * when a reconnection attempt of the client fails (an {@code IOException}: the client tries again), or when
     * the auth supplier throws.
     */
    public ClientSocket onConnectError(Consumer<Throwable> handler) {
        connectErrorHandlers.add(handler);
        return this;
    }

    /**
     * Sends an event, or buffers it while the namespace is reconnecting; {@code args} as
     * {@link PayloadValues#encode} takes them (records and other objects through JSON-B). With
     * {@link ClientOptions#retries} on, it is queued instead and sent with an ack id (see the class comment).
     *
     * @throws IllegalArgumentException when an argument cannot be converted
     * @throws IllegalStateException when an argument needs JSON-B and none is available, or the namespace is
     *         inactive
     * @throws SendBufferFullException when disconnected with {@link ClientOptions#sendBufferLimit} packets buffered,
     *         or, with retries on, when the queue holds that many
     */
    public void emit(String event, Object... args) {
        PayloadValues.Encoded enc = PayloadValues.encode(event, args);
        if (retries > 0) {
            enqueue(enc, ackTimeoutMillis, null);
            return;
        }
        dispatch(SocketPacket.event(namespace, enc.array(), SocketPacket.NO_ACK, enc.attachments()));
    }

    /** {@code emit("message", args)}, as socket.io-client's {@code send}. */
    public void send(Object... args) {
        emit("message", args);
    }

    /**
     * {@link #emitWithAck(Duration, String, Object...)} with {@link ClientOptions#ackTimeout} as its timeout, or
     * none when that is 0: the future then waits until the ack comes or the connection is lost.
     */
    public CompletableFuture<Args> emitWithAck(String event, Object... args) {
        PayloadValues.Encoded enc = PayloadValues.encode(event, args);
        return withAck(enc, ackTimeoutMillis);
    }

    /**
     * Emits and completes with the server's acknowledgement, or fails after {@code timeout}
     * ({@link TimeoutException}, also when the connection is lost after the packet went out, or the namespace is
     * refused or left before it went). With {@link ClientOptions#retries} on, {@code timeout} bounds each try.
     * Arguments as for {@link #emit}, and thrown the same way when they cannot be sent.
     */
    public CompletableFuture<Args> emitWithAck(Duration timeout, String event, Object... args) {
        PayloadValues.Encoded enc = PayloadValues.encode(event, args); // first: if it fails, nothing waits for an ack
        // at least 1 ms: 0 means "no timeout" inside, and a zero or negative timeout has always meant "fail at once"
        return withAck(enc, Math.max(1, timeout.toMillis()));
    }

    /** Leaves the namespace (the connection stays for the others); it will not reconnect. */
    public void disconnect() {
        boolean wasConnected;
        synchronized (lock) {
            wasConnected = isConnected;
            if (isConnected) {
                client.send(SocketPacket.disconnect(namespace));
            }
            deactivate();
        }
        closed("io client disconnect", wasConnected, true);
    }

    // ---------------------------------------------------------------- package

    /** Sends the CONNECT on {@code connection} unless it went there already or the namespace is inactive. */
    void sendConnect(Object connection) {
        synchronized (lock) {
            if (!active || isConnected || connectSentOn == connection) {
                return;
            }
            connectSentOn = connection;
        }
        JsonObject payload;
        try {
            Map<String, ?> a = auth == null ? null : auth.get();
            payload = a == null ? null : (JsonObject) PayloadValues.toJson(a, new ArrayList<>());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "auth supplier of " + namespace + " failed", e);
            fireConnectError(e);
            return;
        }
        String p = pid;
        if (p != null) {
            // as socket.io-client: {pid, offset} first, the auth's own keys win
            JsonObjectBuilder b = Jsonp.PROVIDER.createObjectBuilder().add("pid", p);
            String offset = lastOffset;
            if (offset != null) {
                b.add("offset", offset);
            }
            if (payload != null) {
                payload.forEach(b::add);
            }
            payload = b.build();
        }
        client.send(SocketPacket.connect(namespace, payload));
    }

    void onPacket(Object connection, SocketPacket p) {
        switch (p.type()) {
            case CONNECT -> onConnected(connection, p.data() instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT);
            case CONNECT_ERROR -> {
                ConnectErrorException error = connectError(p.data());
                synchronized (lock) {
                    deactivate();
                }
                client.events().execute(() -> connected.completeExceptionally(error));
                fireConnectError(error);
                // what was emitted before the refusal never left: its acks (some without a timeout) fail now
                failAllAcks("refused: " + error.getMessage());
            }
            case EVENT, BINARY_EVENT -> onEvent(p);
            case ACK, BINARY_ACK -> {
                PendingAck a = acks.remove(p.ackId());
                if (a != null) {
                    Args args = new Args(PayloadValues.decode((JsonArray) p.data(), 0, p.attachments()));
                    // an emit is written and its outgoing notification queued under the lock: an ack quick enough
                    // to arrive in between waits here, so listeners learn of the emit before its ack
                    synchronized (lock) {
                        a.acked(args);
                    }
                }
            }
            case DISCONNECT -> {
                boolean wasConnected;
                synchronized (lock) {
                    wasConnected = isConnected;
                    deactivate();
                }
                closed("io server disconnect", wasConnected, true);
            }
        }
    }

    /**
     * The client's connection ended; the namespace reconnects with it if still active, unless
     * {@code forGood} (reconnection off).
     */
    void onTransportClosed(String reason, boolean forGood) {
        boolean wasConnected;
        synchronized (lock) {
            wasConnected = isConnected;
            isConnected = false;
            connectSentOn = null;
            if (forGood) {
                deactivate();
            }
        }
        closed(reason, wasConnected, forGood);
    }

    void onClientClosed() {
        boolean wasConnected;
        synchronized (lock) {
            wasConnected = isConnected;
            deactivate();
        }
        closed("io client disconnect", wasConnected, true);
    }

    void onReconnectFailure(Throwable error) {
        synchronized (lock) {
            if (!active || isConnected) {
                return;
            }
        }
        fireConnectError(error);
    }

    // ---------------------------------------------------------------- private

    /** {@code timeoutMillis} 0: none. */
    private CompletableFuture<Args> withAck(PayloadValues.Encoded enc, long timeoutMillis) {
        CompletableFuture<Args> future = new CompletableFuture<>();
        if (retries > 0) {
            enqueue(enc, timeoutMillis, future);
            return future;
        }
        long ackId = ackIds.getAndIncrement();
        acks.put(ackId, new FutureAck(future));
        try {
            dispatch(SocketPacket.event(namespace, enc.array(), ackId, enc.attachments()));
        } catch (RuntimeException e) {
            acks.remove(ackId);
            throw e;
        }
        armAckTimeout(ackId, timeoutMillis);
        return future;
    }

    private void armAckTimeout(long ackId, long timeoutMillis) {
        if (timeoutMillis <= 0) {
            return;
        }
        try {
            client.timer().schedule(() -> failAck(ackId, new TimeoutException("no ack within " + timeoutMillis
                    + " ms"), false), timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            failAck(ackId, new TimeoutException("client closed"), false);
        }
    }

    private void dispatch(SocketPacket packet) {
        synchronized (lock) {
            if (!active) {
                throw new IllegalStateException("namespace " + namespace + " is disconnected for good");
            }
            if (isConnected && client.send(packet)) {
                notifyOutgoing(packet);
                return;
            }
            if (buffer.size() >= bufferLimit) {
                throw new SendBufferFullException("namespace " + namespace + " is reconnecting and already buffers "
                        + bufferLimit + " packets");
            }
            buffer.add(packet);
        }
    }

    private void onConnected(Object connection, JsonObject data) {
        String sid = data.getString("sid", null);
        String newPid = data.getString("pid", null);
        synchronized (lock) {
            if (!active || connection != connectSentOn) {
                return; // a late answer to a CONNECT sent before disconnect() or on an older connection
            }
            id = sid;
            recovered = newPid != null && newPid.equals(pid);
            pid = newPid;
            isConnected = true;
            // flushed under the lock: an emit made meanwhile waits and goes after them
            while (!buffer.isEmpty()) {
                if (!client.send(buffer.peek())) {
                    break; // the connection is going: the rest waits for the next one
                }
                notifyOutgoing(buffer.poll());
            }
            // as socket.io-client's onconnect: the packet in flight before the loss goes again at once
            drainQueue(true);
        }
        client.events().execute(() -> {
            connected.complete(sid);
            for (Runnable h : connectHandlers) {
                h.run();
            }
        });
    }

    private void onEvent(SocketPacket p) {
        JsonArray data = (JsonArray) p.data();
        String event = data.get(0) instanceof JsonString s ? s.getString() : data.get(0).toString();
        // as socket.io-client: with recovery on, a server event without ack whose last argument is a string
        // carries the offset of the broadcast; it stays in the arguments the listeners see
        if (pid != null && !p.hasAck() && data.size() > 1 && data.get(data.size() - 1) instanceof JsonString o) {
            lastOffset = o.getString();
        }
        Args args = new Args(PayloadValues.decode(data, 1, p.attachments()));
        Consumer<Object[]> reply = p.hasAck() ? values -> {
            PayloadValues.Encoded enc = PayloadValues.encode(null, values);
            client.send(SocketPacket.ack(namespace, p.ackId(), enc.array(), enc.attachments()));
        } : values -> { };
        client.events().execute(() -> listeners.dispatch(event, args, reply));
    }

    /** Under lock: the namespace will not reconnect. */
    private void deactivate() {
        active = false;
        isConnected = false;
        buffer.clear();
    }

    /** After a state change: fails the acks that can no longer come, tells the disconnect listeners. */
    private void closed(String reason, boolean wasConnected, boolean forGood) {
        id = null;
        List<Long> buffered = new ArrayList<>();
        if (!forGood) {
            synchronized (lock) {
                for (SocketPacket p : buffer) {
                    buffered.add(p.ackId());
                }
            }
        }
        for (Long ackId : acks.keySet()) {
            if (!buffered.contains(ackId)) {
                failAck(ackId, new TimeoutException("disconnected: " + reason), true);
            }
        }
        if (forGood) {
            failQueue("disconnected: " + reason);
        }
        client.events().execute(() -> {
            if (forGood) {
                // a namespace that never connected and never will: its connected() future must not hang
                connected.completeExceptionally(new ConnectErrorException(reason, null));
            }
            if (wasConnected) {
                for (Consumer<String> h : disconnectHandlers) {
                    h.accept(reason);
                }
            }
        });
    }

    /** The namespace is inactive: every ack awaited and every queued emit fails. */
    private void failAllAcks(String why) {
        for (Long ackId : acks.keySet()) {
            failAck(ackId, new TimeoutException(why), true);
        }
        failQueue(why);
    }

    /** The namespace is inactive: the retry queue is failed, head included. */
    private void failQueue(String why) {
        List<Queued> dropped;
        synchronized (lock) {
            dropped = new ArrayList<>(queue);
            queue.clear();
        }
        for (Queued q : dropped) {
            q.fail(new TimeoutException(why));
        }
    }

    /** {@code disconnected}: the connection was lost (not a timeout). */
    private void failAck(long ackId, Throwable error, boolean disconnected) {
        PendingAck a = acks.remove(ackId);
        if (a != null) {
            a.failed(error, disconnected);
        }
    }

    /** Tells the outgoing catch-all listeners of a packet just written (decoded only if one listens). */
    private void notifyOutgoing(SocketPacket p) {
        if (!listeners.hasOutgoing() || !(p.data() instanceof JsonArray data) || data.isEmpty()) {
            return;
        }
        String event = data.get(0) instanceof JsonString s ? s.getString() : data.get(0).toString();
        Args args = new Args(PayloadValues.decode(data, 1, p.attachments()));
        client.events().execute(() -> listeners.outgoing(event, args));
    }

    // ---------------------------------------------------------------- retries (socket.io-client's _queue)

    /** Adds an emit to the queue and sends it if it is the only one; refused when inactive or full. */
    private void enqueue(PayloadValues.Encoded enc, long timeoutMillis, CompletableFuture<Args> future) {
        synchronized (lock) {
            if (!active) {
                throw new IllegalStateException("namespace " + namespace + " is disconnected for good");
            }
            if (queue.size() >= bufferLimit) {
                throw new SendBufferFullException("namespace " + namespace + " already queues " + bufferLimit
                        + " packets awaiting their acks");
            }
            queue.add(new Queued(enc, timeoutMillis, future));
            drainQueue(false);
        }
    }

    /**
     * Under lock: sends the head of the queue unless it is in flight already ({@code force}: send it again, as
     * after a reconnection), each try with its own ack id and timeout, as socket.io-client's _drainQueue.
     */
    private void drainQueue(boolean force) {
        Queued head = queue.peek();
        if (!isConnected || head == null || (head.pending && !force)) {
            return;
        }
        long ackId = ackIds.getAndIncrement();
        head.pending = true;
        head.tries++;
        head.ackId = ackId;
        acks.put(ackId, new QueueAck(head, ackId));
        SocketPacket packet = SocketPacket.event(namespace, head.enc.array(), ackId, head.enc.attachments());
        if (!client.send(packet)) {
            // the connection is going: this try did not happen; the reconnection sends it
            acks.remove(ackId);
            head.pending = false;
            head.tries--;
            return;
        }
        notifyOutgoing(packet);
        armAckTimeout(ackId, head.timeoutMillis);
    }

    /** One emit in the queue. Fields under the socket's lock. */
    private final class Queued {
        final PayloadValues.Encoded enc;
        final long timeoutMillis;
        /** Null for a plain emit: its outcome is only logged. */
        final CompletableFuture<Args> future;
        int tries;
        boolean pending;
        long ackId = -1;

        Queued(PayloadValues.Encoded enc, long timeoutMillis, CompletableFuture<Args> future) {
            this.enc = enc;
            this.timeoutMillis = timeoutMillis;
            this.future = future;
        }

        void complete(Args args) {
            if (future != null) {
                client.events().execute(() -> future.complete(args));
            }
        }

        void fail(Throwable error) {
            if (future != null) {
                client.events().execute(() -> future.completeExceptionally(error));
            } else {
                LOG.log(Level.WARNING, "emit on " + namespace + " dropped after " + tries + " tries: "
                        + error.getMessage());
            }
        }
    }

    /** The ack of one try of the queue's head. */
    private final class QueueAck implements PendingAck {
        private final Queued packet;
        private final long ackId;

        QueueAck(Queued packet, long ackId) {
            this.packet = packet;
            this.ackId = ackId;
        }

        @Override
        public void acked(Args args) {
            synchronized (lock) {
                if (queue.peek() != packet || packet.ackId != ackId) {
                    return; // an older try's late answer: the current try decides
                }
                queue.poll();
                packet.pending = false;
                packet.complete(args);
                drainQueue(false);
            }
        }

        @Override
        public void failed(Throwable error, boolean disconnected) {
            synchronized (lock) {
                if (!active || queue.peek() != packet || packet.ackId != ackId) {
                    return; // inactive: closed() fails the whole queue
                }
                packet.pending = false;
                // without a timeout a try ends only with its ack: a lost connection does not count (as the JS
                // client, whose ack callback without a timeout cannot receive an error), the reconnection resends
                if (!(disconnected && packet.timeoutMillis <= 0) && packet.tries > retries) {
                    queue.poll();
                    packet.fail(error);
                }
                drainQueue(false);
            }
        }
    }

    /** What waits for one ack id. Called on the thread that learns the outcome (reader, timer, closer). */
    private interface PendingAck {
        void acked(Args args);

        void failed(Throwable error, boolean disconnected);
    }

    /** An emitWithAck without retries: its future, completed on the callback executor. */
    private final class FutureAck implements PendingAck {
        private final CompletableFuture<Args> future;

        FutureAck(CompletableFuture<Args> future) {
            this.future = future;
        }

        @Override
        public void acked(Args args) {
            client.events().execute(() -> future.complete(args));
        }

        @Override
        public void failed(Throwable error, boolean disconnected) {
            client.events().execute(() -> future.completeExceptionally(error));
        }
    }

    private void fireConnectError(Throwable error) {
        client.events().execute(() -> {
            for (Consumer<Throwable> h : connectErrorHandlers) {
                h.accept(error);
            }
        });
    }

    private static ConnectErrorException connectError(JsonValue data) {
        if (data instanceof JsonObject o) {
            return new ConnectErrorException(o.getString("message", "connect error"), o.get("data"));
        }
        return new ConnectErrorException(data instanceof JsonString s ? s.getString() : "connect error", null);
    }
}
