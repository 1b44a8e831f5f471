package dev.parley.client;

import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client side of one namespace on a {@link ParleyClient} connection, like socket.io-client's
 * {@code Socket}: {@link #on} events, {@link #emit} and {@link #emitWithAck}, binary arguments
 * ({@code byte[]}) both ways. Arguments are converted as the server's {@code emit} does
 * ({@link PayloadValues}): records, JavaBeans and other objects go through JSON-B, which must then be
 * on the class path; received ones are read back with {@link Args#get(int, Class)}, e.g.
 * {@code socket.on("created", (args, reply) -> handle(args.get(0, Order.class)))}. Handlers run on the
 * connection's receiving thread. Thread-safe.
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

    private final ParleyClient client;
    private final String namespace;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Args>> acks = new ConcurrentHashMap<>();
    private final AtomicLong ackIds = new AtomicLong();
    private final CompletableFuture<String> connected = new CompletableFuture<>();
    private final List<Consumer<String>> disconnectHandlers = new CopyOnWriteArrayList<>();
    private volatile String id;

    ClientSocket(ParleyClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    /** The socket id the server assigned, or null before the connection is accepted. */
    public String id() {
        return id;
    }

    /**
     * Completes with the socket id once the server accepted the namespace; fails with a
     * {@link ConnectErrorException} when it refused (middleware, unknown namespace).
     */
    public CompletableFuture<String> connected() {
        return connected;
    }

    public ClientSocket on(String event, Listener listener) {
        listeners.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(listener);
        return this;
    }

    /** Told once with the reason when the namespace is left ("io server disconnect", "transport close"...). */
    public ClientSocket onDisconnect(Consumer<String> handler) {
        disconnectHandlers.add(handler);
        return this;
    }

    /**
     * Sends an event; {@code args} as {@link PayloadValues#encode} takes them (records and other
     * objects through JSON-B).
     *
     * @throws IllegalArgumentException when an argument cannot be converted
     * @throws IllegalStateException when an argument needs JSON-B and none is available
     */
    public void emit(String event, Object... args) {
        PayloadValues.Encoded enc = PayloadValues.encode(event, args);
        client.send(SocketPacket.event(namespace, enc.array(), SocketPacket.NO_ACK, enc.attachments()));
    }

    /**
     * Emits and completes with the server's acknowledgement, or fails after {@code timeout}.
     * Arguments as for {@link #emit}, and thrown the same way when they cannot be sent.
     */
    public CompletableFuture<Args> emitWithAck(Duration timeout, String event, Object... args) {
        PayloadValues.Encoded enc = PayloadValues.encode(event, args); // first: if it fails, nothing waits for an ack
        long ackId = ackIds.getAndIncrement();
        CompletableFuture<Args> future = new CompletableFuture<>();
        acks.put(ackId, future);
        future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> acks.remove(ackId));
        client.send(SocketPacket.event(namespace, enc.array(), ackId, enc.attachments()));
        return future;
    }

    /** Leaves the namespace (the connection stays for the others). */
    public void disconnect() {
        client.send(SocketPacket.disconnect(namespace));
        onClosed("io client disconnect");
    }

    // ---------------------------------------------------------------- package

    void onPacket(SocketPacket p) {
        switch (p.type()) {
            case CONNECT -> {
                JsonObject data = p.data() instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
                id = data.getString("sid", null);
                connected.complete(id);
            }
            case CONNECT_ERROR -> connected.completeExceptionally(connectError(p.data()));
            case EVENT, BINARY_EVENT -> onEvent(p);
            case ACK, BINARY_ACK -> {
                CompletableFuture<Args> f = acks.remove(p.ackId());
                if (f != null) {
                    f.complete(new Args(PayloadValues.decode((JsonArray) p.data(), 0, p.attachments())));
                }
            }
            case DISCONNECT -> onClosed("io server disconnect");
        }
    }

    private void onEvent(SocketPacket p) {
        JsonArray data = (JsonArray) p.data();
        String event = data.get(0) instanceof JsonString s ? s.getString() : data.get(0).toString();
        Args args = new Args(PayloadValues.decode(data, 1, p.attachments()));
        Consumer<Object[]> reply = p.hasAck() ? values -> {
            PayloadValues.Encoded enc = PayloadValues.encode(null, values);
            client.send(SocketPacket.ack(namespace, p.ackId(), enc.array(), enc.attachments()));
        } : values -> { };
        for (Listener l : listeners.getOrDefault(event, List.of())) {
            try {
                l.handle(args, reply);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "listener for '" + event + "' failed", e);
            }
        }
    }

    void onClosed(String reason) {
        connected.completeExceptionally(new ConnectErrorException(reason, null));
        for (CompletableFuture<Args> f : acks.values()) {
            f.completeExceptionally(new TimeoutException("disconnected: " + reason));
        }
        acks.clear();
        if (id != null) {
            id = null;
            for (Consumer<String> h : disconnectHandlers) {
                h.accept(reason);
            }
        }
    }

    private static ConnectErrorException connectError(JsonValue data) {
        if (data instanceof JsonObject o) {
            return new ConnectErrorException(o.getString("message", "connect error"), o.get("data"));
        }
        return new ConnectErrorException(data instanceof JsonString s ? s.getString() : "connect error", null);
    }
}
