package dev.parley.adapter.redis;

import dev.parley.adapter.AckListener;
import dev.parley.adapter.Adapter;
import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.AdapterRequests;
import dev.parley.adapter.AdapterRequests.Outcome;
import dev.parley.adapter.BroadcastFlags;
import dev.parley.adapter.BroadcastOptions;
import dev.parley.adapter.InMemoryAdapter;
import dev.parley.adapter.SocketDetails;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Java counterpart of socket.io-adapter's {@code ClusterAdapter}: Parley's {@link Adapter} for
 * one namespace of a cluster whose nodes exchange the official protocol's messages
 * ({@link ClusterMessageType}) over some medium that a subclass provides ({@link #doPublish},
 * {@link #doPublishResponse}, {@link #countServers}). This node's sockets and rooms are an
 * {@link InMemoryAdapter}; every operation on {@link BroadcastOptions} without the {@code local}
 * flag is published for the other nodes and applied here. Messages from this node's own
 * {@code uid} or another namespace are ignored.
 *
 * <p>Requests that wait for other nodes (fetchSockets, serverSideEmit and broadcasts with
 * acknowledgement) expect one answer from each other node counted by {@link #countServers} when
 * they start, and give up after the request timeout (or the broadcast's own timeout): fetchSockets
 * then fails with a {@link TimeoutException}, a broadcast reports the count it has. A node that
 * died is therefore never waited for past the timeout. Each such request is timed in
 * {@link AdapterRequests} from its start to the first of: every answer in, its timeout, a failure
 * to publish it, the adapter closing.
 *
 * <p>Thread-safe. Subclasses hand received messages to {@link #onMessage} on one thread of theirs,
 * never a Redis client's I/O thread (handling may call Redis synchronously).
 */
public abstract class ClusterAdapter extends NodeRoomsAdapter {

    private static final Logger LOG = Logger.getLogger(ClusterAdapter.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Who sends messages from a {@code @socket.io/redis-emitter}: not a node, never counted. */
    public static final String EMITTER_UID = "emitter";

    protected final AdapterContext context;
    protected final String uid = randomId();
    private final Duration requestTimeout;
    private final ScheduledExecutorService timer;
    private final AdapterRequests timings;
    private final Map<String, Request> requests = new ConcurrentHashMap<>();
    private final Map<String, AckRequest> ackRequests = new ConcurrentHashMap<>();

    /**
     * @param context        the namespace
     * @param requestTimeout how long a request waits for other nodes unless its options say otherwise
     * @param timer          runs requests' timeouts (the factory's)
     * @param timings        where requests to the other nodes are timed (the factory's)
     */
    protected ClusterAdapter(AdapterContext context, Duration requestTimeout, ScheduledExecutorService timer,
                             AdapterRequests timings) {
        super(context);
        this.context = context;
        this.requestTimeout = requestTimeout;
        this.timer = timer;
        this.timings = timings;
    }

    /** 16 hex digits, as the reference's {@code randomBytes(8).toString("hex")}. */
    static String randomId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** This node's id in the cluster protocol. */
    public String uid() {
        return uid;
    }

    // ---------------------------------------------------------------- the medium (subclasses)

    /**
     * Publishes a message to every node of the namespace and returns its offset in the medium (a
     * stream entry id), or {@code ""} when the medium has none. Synchronous: once it returns the
     * message is in the medium.
     *
     * @throws RuntimeException when Redis cannot be reached
     */
    protected abstract String doPublish(ClusterMessage message);

    /** Publishes a response to the node {@code requesterUid} only; may return before it is sent. */
    protected abstract void doPublishResponse(String requesterUid, ClusterMessage response);

    /** How many nodes serve this namespace now, this one included (at least 1). Synchronous. */
    protected abstract int countServers();

    /**
     * Delivers a broadcast to this node's sockets; {@code offset} is its offset in the medium (or
     * {@code ""}). Subclasses that restore sessions order this with a restore.
     */
    protected void broadcastLocally(SocketPacket packet, BroadcastOptions options, String offset) {
        local.broadcast(packet, options);
    }

    /** Whether broadcast events carry their offset as last argument (connection state recovery). */
    protected boolean addsOffsets() {
        return false;
    }

    /**
     * Whether Redis is known to be unreachable (an outage already logged once): failures to publish are
     * then expected and logged at FINE, not as a warning per broadcast.
     */
    protected boolean redisDown() {
        return false;
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        try {
            return CompletableFuture.completedFuture(countServers());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---------------------------------------------------------------- operations published

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions options) {
        String offset = "";
        if (!options.flags().local()) {
            JsonObject data = Jsonp.PROVIDER.createObjectBuilder().add("packet", packetToJson(packet))
                    .add("opts", encodeOptions(options)).build();
            try {
                offset = publish(ClusterMessageType.BROADCAST, data, packet.attachments());
            } catch (RuntimeException e) {
                // as the reference: this node's sockets still get it
                LOG.log(redisDown() ? Level.FINE : Level.WARNING, "broadcast not published to the other nodes: " + e.getMessage());
            }
        }
        broadcastLocally(withOffsetIfNeeded(packet, options, offset), options, offset);
    }

    private SocketPacket withOffsetIfNeeded(SocketPacket packet, BroadcastOptions options, String offset) {
        boolean event = packet.type() == SocketPacketType.EVENT || packet.type() == SocketPacketType.BINARY_EVENT;
        if (addsOffsets() && offset != null && !offset.isEmpty() && event && !packet.hasAck()
                && !options.flags().volatileSend()) {
            return packet.withOffset(offset);
        }
        return packet;
    }

    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions options, AckListener acks) {
        int others = options.flags().local() ? 0 : Math.max(0, countServersOrOne() - 1);
        if (others == 0) {
            local.broadcastWithAck(packet, options, acks);
            return;
        }
        String requestId = randomId();
        AckRequest request = new AckRequest(acks, others + 1, timings.start(AdapterRequests.Type.BROADCAST_ACK));
        ackRequests.put(requestId, request);
        JsonObject data = Jsonp.PROVIDER.createObjectBuilder().add("packet", packetToJson(packet))
                .add("requestId", requestId).add("opts", encodeOptions(options)).build();
        try {
            publish(ClusterMessageType.BROADCAST, data, packet.attachments());
        } catch (RuntimeException e) {
            LOG.log(redisDown() ? Level.FINE : Level.WARNING, "broadcast with ack not published to the other nodes: " + e.getMessage());
            ackRequests.remove(requestId);
            request.timing.end(Outcome.FAILED);
            local.broadcastWithAck(packet, options, acks); // this node's sockets still get it, counted alone
            return;
        }
        local.broadcastWithAck(packet, options, new AckListener() {
            @Override
            public void sent(int clientCount) {
                request.count(clientCount);
            }

            @Override
            public void answered(Args answer) {
                acks.answered(answer);
            }

            @Override
            public void lost(Exception reason) {
                acks.lost(reason);
            }
        });
        Duration wait = options.flags().timeout() != null ? options.flags().timeout() : requestTimeout;
        // counts not in by the timeout: report what came; answers are awaited as long as the broadcast's timeout
        schedule(() -> request.giveUp(Outcome.TIMED_OUT), requestTimeout.compareTo(wait) < 0 ? requestTimeout : wait);
        schedule(() -> ackRequests.remove(requestId), wait.compareTo(requestTimeout) > 0 ? wait : requestTimeout);
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
        List<SocketDetails> mine = local.localSockets(options);
        if (options.flags().local()) {
            return CompletableFuture.completedFuture(mine);
        }
        int others;
        try {
            others = countServers() - 1;
        } catch (RuntimeException e) {
            timings.start(AdapterRequests.Type.FETCH_SOCKETS).end(Outcome.FAILED); // Redis unreachable: not sent
            return CompletableFuture.failedFuture(e);
        }
        if (others <= 0) {
            return CompletableFuture.completedFuture(mine);
        }
        String requestId = randomId();
        CompletableFuture<List<SocketDetails>> result = new CompletableFuture<>();
        Request request = new Request(others, mine, null, result, timings.start(AdapterRequests.Type.FETCH_SOCKETS));
        requests.put(requestId, request);
        Duration wait = options.flags().timeout() != null ? options.flags().timeout() : requestTimeout;
        schedule(() -> {
            Request r = requests.remove(requestId);
            if (r != null) {
                r.timing.end(Outcome.TIMED_OUT);
                result.completeExceptionally(new TimeoutException("timeout reached: only " + r.received()
                        + " responses received out of " + r.expected));
            }
        }, wait);
        JsonObject data = Jsonp.PROVIDER.createObjectBuilder().add("opts", encodeOptions(options))
                .add("requestId", requestId).build();
        try {
            publish(ClusterMessageType.FETCH_SOCKETS, data, List.of());
        } catch (RuntimeException e) {
            if (requests.remove(requestId, request)) {
                request.timing.end(Outcome.FAILED);
            }
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public void addSockets(BroadcastOptions options, Set<String> rooms) {
        publishRooms(ClusterMessageType.SOCKETS_JOIN, options, rooms);
        local.addSockets(options, rooms);
    }

    @Override
    public void delSockets(BroadcastOptions options, Set<String> rooms) {
        publishRooms(ClusterMessageType.SOCKETS_LEAVE, options, rooms);
        local.delSockets(options, rooms);
    }

    private void publishRooms(ClusterMessageType type, BroadcastOptions options, Set<String> rooms) {
        if (options.flags().local()) {
            return;
        }
        JsonObject data = Jsonp.PROVIDER.createObjectBuilder().add("opts", encodeOptions(options))
                .add("rooms", strings(rooms)).build();
        publishQuietly(type, data);
    }

    @Override
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        if (!options.flags().local()) {
            publishQuietly(ClusterMessageType.DISCONNECT_SOCKETS, Jsonp.PROVIDER.createObjectBuilder()
                    .add("opts", encodeOptions(options)).add("close", close).build());
        }
        local.disconnectSockets(options, close);
    }

    @Override
    public void serverSideEmit(SocketPacket event, AckListener acks) {
        JsonValue packet = event.data() == null ? JsonValue.EMPTY_JSON_ARRAY : event.data();
        if (acks == null) {
            publishQuietly(ClusterMessageType.SERVER_SIDE_EMIT,
                    Jsonp.PROVIDER.createObjectBuilder().add("packet", packet).build(), event.attachments());
            return;
        }
        int others = Math.max(0, countServersOrOne() - 1);
        acks.sent(others);
        if (others == 0) {
            return;
        }
        String requestId = randomId();
        Request request = new Request(others, null, acks, null, timings.start(AdapterRequests.Type.SERVER_SIDE_EMIT));
        requests.put(requestId, request);
        schedule(() -> { // the caller's own timeout fails its future: this forgets the request
            if (requests.remove(requestId, request)) {
                request.timing.end(Outcome.TIMED_OUT);
            }
        }, requestTimeout);
        try {
            publish(ClusterMessageType.SERVER_SIDE_EMIT, Jsonp.PROVIDER.createObjectBuilder()
                    .add("requestId", requestId).add("packet", packet).build(), event.attachments());
        } catch (RuntimeException e) {
            LOG.log(redisDown() ? Level.FINE : Level.WARNING, "server-side emit not published to the other nodes: "
                    + e.getMessage());
            if (requests.remove(requestId, request)) {
                request.timing.end(Outcome.FAILED);
            }
        }
    }

    private int countServersOrOne() {
        try {
            return countServers();
        } catch (RuntimeException e) {
            LOG.log(redisDown() ? Level.FINE : Level.WARNING, "cannot count the servers: " + e.getMessage());
            return 1;
        }
    }

    private String publish(ClusterMessageType type, JsonObject data, List<byte[]> attachments) {
        return doPublish(new ClusterMessage(uid, context.namespace(), type, data, attachments));
    }

    private void publishQuietly(ClusterMessageType type, JsonObject data) {
        publishQuietly(type, data, List.of());
    }

    private void publishQuietly(ClusterMessageType type, JsonObject data, List<byte[]> attachments) {
        try {
            publish(type, data, attachments);
        } catch (RuntimeException e) {
            LOG.log(redisDown() ? Level.FINE : Level.WARNING, "message " + type + " not published to the other nodes: " + e.getMessage());
        }
    }

    private void respond(String requesterUid, ClusterMessageType type, JsonObject data, List<byte[]> attachments) {
        try {
            doPublishResponse(requesterUid, new ClusterMessage(uid, context.namespace(), type, data, attachments));
        } catch (RuntimeException e) {
            LOG.log(redisDown() ? Level.FINE : Level.WARNING, "response " + type + " not published: " + e.getMessage());
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException stopped) {
            task.run(); // the factory is closing: nothing will answer any more
        }
    }

    // ---------------------------------------------------------------- messages from the other nodes

    /**
     * Handles a message another node published ({@code offset}: its offset in the medium, or
     * {@code ""}). Messages from this node or for another namespace are ignored; malformed ones
     * throw {@link IllegalArgumentException} for the caller to log and drop.
     */
    protected void onMessage(ClusterMessage message, String offset) {
        if (message.uid().equals(uid) || !message.nsp().equals(context.namespace())) {
            return;
        }
        JsonObject data = message.data();
        switch (message.type()) {
            case BROADCAST -> {
                SocketPacket packet = packetFromJson(required(data, "packet"), message.attachments());
                BroadcastOptions options = decodeOptions(data.get("opts"));
                String requestId = data.get("requestId") instanceof JsonString s ? s.getString() : null;
                if (requestId == null) {
                    broadcastLocally(withOffsetIfNeeded(packet, options, offset), options, offset);
                } else {
                    String requester = message.uid();
                    // acknowledgement ids are per node: the requester's (if any) means nothing here
                    packet = new SocketPacket(packet.type(), packet.namespace(), context.nextAckId(), packet.data(),
                            packet.attachments());
                    local.broadcastWithAck(packet, options, new AckListener() {
                        @Override
                        public void sent(int clientCount) {
                            respond(requester, ClusterMessageType.BROADCAST_CLIENT_COUNT, Jsonp.PROVIDER
                                    .createObjectBuilder().add("requestId", requestId)
                                    .add("clientCount", clientCount).build(), List.of());
                        }

                        @Override
                        public void answered(Args answer) {
                            List<byte[]> attachments = new ArrayList<>();
                            JsonValue first = answer.isEmpty() ? JsonValue.NULL
                                    : PayloadValues.toJson(answer.get(0), attachments);
                            respond(requester, ClusterMessageType.BROADCAST_ACK, Jsonp.PROVIDER.createObjectBuilder()
                                    .add("requestId", requestId).add("packet", first).build(), attachments);
                        }

                        @Override
                        public void lost(Exception reason) {
                            // the requester's timeout covers it, as in the reference
                        }
                    });
                }
            }
            case SOCKETS_JOIN -> local.addSockets(decodeOptions(data.get("opts")), stringSet(data.get("rooms")));
            case SOCKETS_LEAVE -> local.delSockets(decodeOptions(data.get("opts")), stringSet(data.get("rooms")));
            case DISCONNECT_SOCKETS -> local.disconnectSockets(decodeOptions(data.get("opts")),
                    data.get("close") == JsonValue.TRUE);
            case FETCH_SOCKETS -> {
                String requestId = requiredString(data, "requestId");
                JsonArrayBuilder sockets = Jsonp.PROVIDER.createArrayBuilder();
                for (SocketDetails s : local.localSockets(decodeOptions(data.get("opts")))) {
                    sockets.add(Jsonp.PROVIDER.createObjectBuilder().add("id", s.id()).add("handshake", s.handshake())
                            .add("rooms", strings(s.rooms())).add("data", s.data()));
                }
                respond(message.uid(), ClusterMessageType.FETCH_SOCKETS_RESPONSE, Jsonp.PROVIDER
                        .createObjectBuilder().add("requestId", requestId).add("sockets", sockets).build(), List.of());
            }
            case SERVER_SIDE_EMIT -> {
                if (!(data.get("packet") instanceof JsonArray args) || args.isEmpty()) {
                    throw new IllegalArgumentException("a server-side emit without event");
                }
                SocketPacket event = SocketPacket.event(context.namespace(), args, SocketPacket.NO_ACK,
                        message.attachments());
                String requestId = data.get("requestId") instanceof JsonString s ? s.getString() : null;
                if (requestId == null) {
                    context.serverSideEvent(event, null);
                } else {
                    String requester = message.uid();
                    AtomicBoolean called = new AtomicBoolean();
                    context.serverSideEvent(event, answer -> {
                        if (called.compareAndSet(false, true)) {
                            List<byte[]> attachments = new ArrayList<>();
                            JsonValue first = answer.isEmpty() ? JsonValue.NULL
                                    : PayloadValues.toJson(answer.get(0), attachments);
                            respond(requester, ClusterMessageType.SERVER_SIDE_EMIT_RESPONSE, Jsonp.PROVIDER
                                    .createObjectBuilder().add("requestId", requestId).add("packet", first).build(),
                                    attachments);
                        }
                    });
                }
            }
            case BROADCAST_CLIENT_COUNT, BROADCAST_ACK, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT_RESPONSE ->
                    onResponse(message);
            default -> {
                // heartbeats and ADAPTER_CLOSE: this adapter counts nodes with its medium, not with them
            }
        }
    }

    /** Handles a response to one of this node's requests (unknown or late request ids are ignored). */
    protected void onResponse(ClusterMessage response) {
        JsonObject data = response.data();
        String requestId = requiredString(data, "requestId");
        switch (response.type()) {
            case BROADCAST_CLIENT_COUNT -> {
                AckRequest r = ackRequests.get(requestId);
                if (r != null && data.get("clientCount") instanceof JsonNumber n) {
                    r.count(n.intValue());
                }
            }
            case BROADCAST_ACK -> {
                AckRequest r = ackRequests.get(requestId);
                if (r != null) {
                    r.acks.answered(new Args(listOf(PayloadValues.fromJson(data.get("packet"),
                            response.attachments()))));
                }
            }
            case FETCH_SOCKETS_RESPONSE -> {
                Request r = requests.get(requestId);
                if (r == null) {
                    return;
                }
                List<SocketDetails> found = new ArrayList<>();
                if (data.get("sockets") instanceof JsonArray sockets) {
                    for (JsonValue v : sockets) {
                        found.add(socketFromJson(v));
                    }
                }
                synchronized (r) {
                    r.sockets.addAll(found);
                }
                if (r.arrived() && requests.remove(requestId, r)) {
                    r.timing.end(Outcome.ANSWERED);
                    synchronized (r) {
                        r.future.complete(List.copyOf(r.sockets));
                    }
                }
            }
            case SERVER_SIDE_EMIT_RESPONSE -> {
                Request r = requests.get(requestId);
                if (r == null) {
                    return;
                }
                r.acks.answered(new Args(listOf(PayloadValues.fromJson(data.get("packet"), response.attachments()))));
                if (r.arrived() && requests.remove(requestId, r)) {
                    r.timing.end(Outcome.ANSWERED);
                }
            }
            default -> {
            }
        }
    }

    private static List<Object> listOf(Object value) {
        List<Object> out = new ArrayList<>(1);
        out.add(value);
        return out;
    }

    @Override
    public void close() {
        for (Request r : requests.values()) {
            r.timing.end(Outcome.FAILED);
            if (r.future != null) {
                r.future.completeExceptionally(new IllegalStateException("the adapter is closed"));
            }
        }
        requests.clear();
        for (AckRequest r : ackRequests.values()) {
            r.giveUp(Outcome.FAILED);
        }
        ackRequests.clear();
        local.close();
    }

    // ---------------------------------------------------------------- wire forms

    /** A packet as socket.io writes it in a message: {@code {type: 2|3, data, nsp, id?}}, binaries as placeholders. */
    static JsonObject packetToJson(SocketPacket packet) {
        int type = switch (packet.type()) {
            case EVENT, BINARY_EVENT -> 2; // socket.io's encoder decides on BINARY_EVENT by the data
            case ACK, BINARY_ACK -> 3;
            default -> packet.type().ordinal();
        };
        var b = Jsonp.PROVIDER.createObjectBuilder().add("type", type)
                .add("data", packet.data() == null ? JsonValue.EMPTY_JSON_ARRAY : packet.data())
                .add("nsp", packet.namespace());
        if (packet.hasAck()) {
            b.add("id", packet.ackId());
        }
        return b.build();
    }

    /** An event packet read from a message. */
    static SocketPacket packetFromJson(JsonValue value, List<byte[]> attachments) {
        if (!(value instanceof JsonObject o) || !(o.get("data") instanceof JsonArray args)) {
            throw new IllegalArgumentException("a broadcast without packet data");
        }
        int type = o.get("type") instanceof JsonNumber n ? n.intValue() : 2;
        if (type != 2 && type != 5) {
            throw new IllegalArgumentException("a broadcast of packet type " + type);
        }
        String nsp = o.get("nsp") instanceof JsonString s ? s.getString() : "/";
        long id = o.get("id") instanceof JsonNumber n ? n.longValue() : SocketPacket.NO_ACK;
        return SocketPacket.event(nsp, args, id, attachments);
    }

    /** Options as the reference encodes them: {@code {rooms, except, flags}}. */
    static JsonObject encodeOptions(BroadcastOptions options) {
        var flags = Jsonp.PROVIDER.createObjectBuilder();
        BroadcastFlags f = options.flags();
        if (f.volatileSend()) {
            flags.add("volatile", true);
        }
        if (!f.compress()) {
            flags.add("compress", false);
        }
        if (f.local()) {
            flags.add("local", true);
        }
        if (f.timeout() != null) {
            flags.add("timeout", f.timeout().toMillis());
        }
        return Jsonp.PROVIDER.createObjectBuilder().add("rooms", strings(options.rooms()))
                .add("except", strings(options.except())).add("flags", flags).build();
    }

    static BroadcastOptions decodeOptions(JsonValue value) {
        if (!(value instanceof JsonObject o)) {
            throw new IllegalArgumentException("a message without options");
        }
        BroadcastFlags flags = BroadcastFlags.NONE;
        if (o.get("flags") instanceof JsonObject f) {
            flags = flags.withVolatile(f.get("volatile") == JsonValue.TRUE)
                    .withCompress(f.get("compress") != JsonValue.FALSE);
            if (f.get("timeout") instanceof JsonNumber t) {
                flags = flags.withTimeout(Duration.ofMillis(t.longValue()));
            }
            // "local" is not taken over: a message from another node is applied to this node's sockets anyway
        }
        return new BroadcastOptions(stringSet(o.get("rooms")), stringSet(o.get("except")), flags);
    }

    static SocketDetails socketFromJson(JsonValue value) {
        if (!(value instanceof JsonObject o) || !(o.get("id") instanceof JsonString id)) {
            throw new IllegalArgumentException("a fetched socket without id");
        }
        JsonObject handshake = o.get("handshake") instanceof JsonObject h ? h : JsonValue.EMPTY_JSON_OBJECT;
        JsonObject data = o.get("data") instanceof JsonObject d ? d : JsonValue.EMPTY_JSON_OBJECT;
        return new SocketDetails(id.getString(), handshake, stringSet(o.get("rooms")), data);
    }

    static JsonArray strings(Set<String> values) {
        JsonArrayBuilder b = Jsonp.PROVIDER.createArrayBuilder();
        values.forEach(b::add);
        return b.build();
    }

    static Set<String> stringSet(JsonValue value) {
        Set<String> out = new HashSet<>();
        if (value instanceof JsonArray a) {
            for (JsonValue v : a) {
                if (v instanceof JsonString s) {
                    out.add(s.getString());
                } else {
                    throw new IllegalArgumentException("a room that is not a string");
                }
            }
        }
        return out;
    }

    private static JsonValue required(JsonObject data, String key) {
        if (data == null || !data.containsKey(key)) {
            throw new IllegalArgumentException("a message without " + key);
        }
        return data.get(key);
    }

    private static String requiredString(JsonObject data, String key) {
        if (required(data, key) instanceof JsonString s) {
            return s.getString();
        }
        throw new IllegalArgumentException(key + " is not a string");
    }

    // ---------------------------------------------------------------- requests in flight

    /** A fetchSockets (future) or serverSideEmit (acks) awaiting {@code expected} nodes. */
    private static final class Request {
        final int expected;
        final List<SocketDetails> sockets;
        final AckListener acks;
        final CompletableFuture<List<SocketDetails>> future;
        final AdapterRequests.Timing timing;
        private int received; // guarded by this

        Request(int expected, List<SocketDetails> mine, AckListener acks,
                CompletableFuture<List<SocketDetails>> future, AdapterRequests.Timing timing) {
            this.expected = expected;
            this.timing = timing;
            this.sockets = mine == null ? null : new ArrayList<>(mine);
            this.acks = acks;
            this.future = future;
        }

        synchronized boolean arrived() {
            return ++received >= expected;
        }

        synchronized int received() {
            return received;
        }
    }

    /** A broadcast with acknowledgement: the counts of {@code nodes} nodes (this one included) summed. */
    private static final class AckRequest {
        final AckListener acks;
        final AdapterRequests.Timing timing;
        private final int nodes;
        private int counted; // guarded by this
        private int total;   // guarded by this
        private boolean reported; // guarded by this

        AckRequest(AckListener acks, int nodes, AdapterRequests.Timing timing) {
            this.acks = acks;
            this.nodes = nodes;
            this.timing = timing;
        }

        void count(int clientCount) {
            int report;
            synchronized (this) {
                total += clientCount;
                if (reported || ++counted < nodes) {
                    return;
                }
                reported = true;
                report = total;
            }
            timing.end(Outcome.ANSWERED);
            acks.sent(report);
        }

        /**
         * Reports the count so far if it was not reported yet (a node did not answer in time:
         * {@code why} is {@link Outcome#TIMED_OUT}; the adapter closed: {@link Outcome#FAILED}).
         */
        void giveUp(Outcome why) {
            int report;
            synchronized (this) {
                if (reported) {
                    return;
                }
                reported = true;
                report = total;
            }
            timing.end(why);
            acks.sent(report);
        }
    }
}
