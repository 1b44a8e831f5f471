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
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link Adapter} of one namespace in a cluster over Redis pub/sub, speaking exactly what
 * {@code @socket.io/redis-adapter} 8.3 speaks, so Parley nodes and Node Socket.IO nodes form one
 * cluster. This node's sockets and rooms are an {@link InMemoryAdapter}; a broadcast is delivered
 * to them at once and published (msgpack {@code [uid, packet, {rooms, except, flags}]}) on
 * {@code <key>#<nsp>#} ({@code <key>#<nsp>#<room>#} for exactly one room), which every other node
 * receives through its pattern subscription {@code <key>#<nsp>#*} and delivers to its own sockets.
 * Requests (fetchSockets, socketsJoin/Leave, disconnectSockets, serverSideEmit, broadcasts with
 * acknowledgement) go on {@code <key>-request#<nsp>#}, answers on {@code <key>-response#<nsp>#}
 * (or this node's {@code <key>-response#<nsp>#<uid>#}); JSON, or msgpack when binary is inside.
 * The number of nodes is {@code PUBSUB NUMSUB} of the request channel.
 *
 * <p>Guarantees, as the official adapter: across nodes at most once (Redis pub/sub keeps nothing: a
 * node that is down or disconnected misses what is published meanwhile); this node's own sockets
 * always, Redis or not. A request waits for every node at most the request timeout, then fails with
 * a {@link TimeoutException}. Messages from this node itself (its uid) are ignored, so each
 * matching socket of the cluster gets a broadcast once. Messages from Redis are handled in order on
 * the factory's thread {@code parley-redis-adapter}; a malformed one is logged once per kind and
 * dropped. Requests that wait for other nodes are timed in the factory's {@link AdapterRequests},
 * each once, from its start to the first of: every answer in, its timeout, a failure to publish
 * it, the adapter closing. Made by {@link RedisAdapterFactory}; thread-safe.
 */
public final class RedisPubSubAdapter extends NodeRoomsAdapter implements RedisConnections.Sink {

    private static final Logger LOG = Logger.getLogger(RedisPubSubAdapter.class.getName());

    /**
     * Ack ids of broadcasts other nodes ask this node to deliver with acknowledgement: far above
     * those the namespace numbers itself (which count from 0), so the two never meet on a socket.
     */
    private static final long REMOTE_ACK_IDS = 1L << 40;

    private final AdapterContext context;
    private final RedisConnections redis;
    private final ScheduledExecutorService executor;
    private final RedisAdapterOptions options;
    private final MalformedLog malformed;
    private final AdapterRequests timings;
    private final String uid = Uid2.next(6);
    private final String channel;
    private final String requestChannel;
    private final String responseChannel;
    private final String specificResponseChannel;
    private final Map<String, PendingFetch> fetches = new ConcurrentHashMap<>();
    private final Map<String, PendingServerSideEmit> serverSideEmits = new ConcurrentHashMap<>();
    private final Map<String, PendingAckBroadcast> ackBroadcasts = new ConcurrentHashMap<>();
    private final AtomicLong remoteAckIds = new AtomicLong(REMOTE_ACK_IDS);

    RedisPubSubAdapter(AdapterContext context, RedisConnections redis, ScheduledExecutorService executor,
                       RedisAdapterOptions options, MalformedLog malformed, AdapterRequests timings) {
        super(context);
        this.timings = timings;
        this.context = context;
        this.redis = redis;
        this.executor = executor;
        this.options = options;
        this.malformed = malformed;
        String nsp = context.namespace();
        this.channel = options.key() + "#" + nsp + "#";
        this.requestChannel = options.key() + "-request#" + nsp + "#";
        this.responseChannel = options.key() + "-response#" + nsp + "#";
        this.specificResponseChannel = responseChannel + uid + "#";
        redis.subscribe(this, channel + "*", requestChannel, responseChannel, specificResponseChannel);
    }

    /** This node's uid on the wire (6 characters, as uid2(6)). */
    public String uid() {
        return uid;
    }

    // ---------------------------------------------------------------- broadcasts

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions opts) {
        if (!opts.flags().local()) {
            String target = opts.rooms().size() == 1 ? channel + opts.rooms().iterator().next() + "#" : channel;
            publish(target, () -> Notepack.encode(List.of(uid, PacketTrees.toTree(packet), wireOptions(opts, true))));
        }
        local.broadcast(packet, opts);
    }

    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions opts, AckListener acks) {
        if (opts.flags().local()) {
            local.broadcastWithAck(packet, opts, acks);
            return;
        }
        String requestId = Uid2.next(6);
        AdapterRequests.Timing timing = timings.start(AdapterRequests.Type.BROADCAST_ACK);
        AckCount count = new AckCount(acks, timing);
        ackBroadcasts.put(requestId, new PendingAckBroadcast(count, acks, timing));
        // as the official adapter, nothing tells when every remote answer is in: forget it after the timeout
        // (the timing ended as answered once every node's count was in; otherwise it timed out)
        Duration keep = opts.flags().timeout() != null ? opts.flags().timeout() : options.requestTimeout();
        executor.schedule(() -> {
            if (ackBroadcasts.remove(requestId) != null) {
                timing.end(Outcome.TIMED_OUT);
            }
        }, keep.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("uid", uid);
        request.put("requestId", requestId);
        request.put("type", RequestType.BROADCAST);
        request.put("packet", PacketTrees.toTree(packet));
        request.put("opts", wireOptions(opts, true));
        publish(requestChannel, () -> Notepack.encode(request), () -> timing.end(Outcome.FAILED));
        local.broadcastWithAck(packet, opts, new AckListener() {
            @Override
            public void sent(int clientCount) {
                count.nodeReported(clientCount);
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
        // Redis unreachable: this node is all the cluster it can reach, its own count is the total
        serverCount().whenComplete((n, e) -> {
            if (e != null) {
                timing.end(Outcome.FAILED);
            } else if (n <= 1) {
                timing.discard(); // no other node: no request
            }
            count.nodesAre(e == null ? n : 1);
        });
    }

    // ---------------------------------------------------------------- the cluster

    /**
     * {@code PUBSUB NUMSUB} of the request channel, as the official adapter counts: every node
     * subscribes to it once per namespace. Completes on {@code parley-redis-adapter-N}, never on
     * Lettuce's I/O threads (whatever the caller chains to it runs there: it must not block).
     */
    @Override
    public CompletableFuture<Integer> serverCount() {
        return redis.numsub(requestChannel).whenCompleteAsync((n, e) -> { }, executor);
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions opts) {
        List<SocketDetails> mine = local.localSockets(opts);
        if (opts.flags().local()) {
            return CompletableFuture.completedFuture(mine);
        }
        AdapterRequests.Timing timing = timings.start(AdapterRequests.Type.FETCH_SOCKETS);
        return serverCount().whenComplete((n, e) -> {
            if (e != null) {
                timing.end(Outcome.FAILED); // Redis unreachable: not sent
            }
        }).thenCompose(n -> {
            if (n <= 1) {
                timing.discard();
                return CompletableFuture.completedFuture(mine);
            }
            String requestId = Uid2.next(6);
            PendingFetch pending = new PendingFetch(n, mine, timing);
            fetches.put(requestId, pending);
            executor.schedule(() -> {
                if (fetches.remove(requestId) != null) {
                    timing.end(Outcome.TIMED_OUT);
                    pending.result.completeExceptionally(
                            new TimeoutException("timeout reached while waiting for fetchSockets response"));
                }
            }, options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("uid", uid);
            request.put("requestId", requestId);
            request.put("type", RequestType.REMOTE_FETCH);
            request.put("opts", wireOptions(opts, false));
            redis.publish(requestChannel, ValueTrees.toJsonText(request).getBytes(StandardCharsets.UTF_8))
                    .whenComplete((r, e) -> {
                        if (e != null && fetches.remove(requestId) != null) {
                            timing.end(Outcome.FAILED);
                            pending.result.completeExceptionally(e);
                        }
                    });
            return pending.result;
        });
    }

    @Override
    public void addSockets(BroadcastOptions opts, Set<String> rooms) {
        local.addSockets(opts, rooms); // at once, Redis or not; this node ignores its own request
        if (!opts.flags().local()) {
            publishRoomsRequest(RequestType.REMOTE_JOIN, opts, rooms);
        }
    }

    @Override
    public void delSockets(BroadcastOptions opts, Set<String> rooms) {
        local.delSockets(opts, rooms);
        if (!opts.flags().local()) {
            publishRoomsRequest(RequestType.REMOTE_LEAVE, opts, rooms);
        }
    }

    @Override
    public void disconnectSockets(BroadcastOptions opts, boolean close) {
        local.disconnectSockets(opts, close);
        if (!opts.flags().local()) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("uid", uid);
            request.put("type", RequestType.REMOTE_DISCONNECT);
            request.put("opts", wireOptions(opts, false));
            request.put("close", close);
            publish(requestChannel, () -> ValueTrees.toJsonText(request).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void publishRoomsRequest(long type, BroadcastOptions opts, Set<String> rooms) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("uid", uid);
        request.put("type", type);
        request.put("opts", wireOptions(opts, false));
        request.put("rooms", new ArrayList<>(rooms));
        publish(requestChannel, () -> ValueTrees.toJsonText(request).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void serverSideEmit(SocketPacket event, AckListener acks) {
        Object data = ValueTrees.fromJson(event.data(), event.attachments());
        if (acks == null) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("uid", uid);
            request.put("type", RequestType.SERVER_SIDE_EMIT);
            request.put("data", data);
            publish(requestChannel, () -> encodeRequest(request));
            return;
        }
        serverCount().whenComplete((n, e) -> {
            int others = e == null ? n - 1 : 0; // Redis unreachable: no other node can be asked
            acks.sent(Math.max(others, 0));
            if (others <= 0) {
                return;
            }
            String requestId = Uid2.next(6);
            AdapterRequests.Timing timing = timings.start(AdapterRequests.Type.SERVER_SIDE_EMIT);
            serverSideEmits.put(requestId, new PendingServerSideEmit(others, acks, timing));
            // answers still missing then are the caller's timeout; this only forgets the request
            executor.schedule(() -> {
                if (serverSideEmits.remove(requestId) != null) {
                    timing.end(Outcome.TIMED_OUT);
                }
            }, options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("uid", uid);
            request.put("requestId", requestId);
            request.put("type", RequestType.SERVER_SIDE_EMIT);
            request.put("data", data);
            publish(requestChannel, () -> encodeRequest(request), () -> {
                if (serverSideEmits.remove(requestId) != null) {
                    timing.end(Outcome.FAILED);
                }
            });
        });
    }

    @Override
    public void close() {
        redis.unsubscribe(this, channel + "*", requestChannel, responseChannel, specificResponseChannel);
        TimeoutException closed = new TimeoutException("the namespace's adapter closed before every node answered");
        fetches.values().forEach(f -> {
            f.timing.end(Outcome.FAILED);
            f.result.completeExceptionally(closed);
        });
        fetches.clear();
        serverSideEmits.values().forEach(p -> p.timing.end(Outcome.FAILED));
        serverSideEmits.clear();
        ackBroadcasts.values().forEach(p -> p.timing.end(Outcome.FAILED)); // unless every count was in
        ackBroadcasts.clear();
    }

    // ---------------------------------------------------------------- from Redis (Lettuce's threads)

    @Override
    public void message(String ch, byte[] body) {
        if (ch.startsWith(responseChannel)) {
            executor.execute(() -> onResponse(ch, body));
        } else if (ch.equals(requestChannel)) {
            executor.execute(() -> onRequest(ch, body));
        }
    }

    @Override
    public void patternMessage(String pattern, String ch, byte[] body) {
        if (ch.startsWith(channel)) {
            executor.execute(() -> onBroadcast(ch, body));
        }
    }

    private void onBroadcast(String ch, byte[] body) {
        try {
            if (!(Notepack.decode(body) instanceof List<?> message) || message.size() < 3) {
                throw new IOException("a broadcast is [uid, packet, opts]");
            }
            if (uid.equals(message.get(0))) {
                return;
            }
            Object nsp = message.get(1) instanceof Map<?, ?> p ? p.get("nsp") : null;
            if (!context.namespace().equals(nsp == null ? "/" : nsp)) {
                return;
            }
            SocketPacket packet = PacketTrees.eventFromTree(message.get(1), context.namespace());
            local.broadcast(packet, readOptions(message.get(2)));
        } catch (IOException | RuntimeException e) {
            malformed.dropped("broadcast", ch, e);
        }
    }

    private void onRequest(String ch, byte[] body) {
        Map<?, ?> request;
        try {
            if (!(ValueTrees.decodeMessage(body) instanceof Map<?, ?> m) || !(m.get("type") instanceof Long)) {
                throw new IOException("a request is an object with a type");
            }
            request = m;
        } catch (IOException e) {
            malformed.dropped("request", ch, e);
            return;
        }
        try {
            handleRequest(request);
        } catch (RuntimeException e) {
            malformed.dropped("request of type " + request.get("type"), ch, e);
        }
    }

    private void handleRequest(Map<?, ?> request) {
        long type = (Long) request.get("type");
        boolean mine = uid.equals(request.get("uid"));
        Object requestId = request.get("requestId");
        if (type == RequestType.SOCKETS) {
            if (!mine) {
                respond(request, json(Map.of("requestId", requestId,
                        "sockets", new ArrayList<>(local.sockets(readOptions(Map.of("rooms", list(request.get("rooms")))))))));
            }
        } else if (type == RequestType.ALL_ROOMS) {
            if (!mine) {
                respond(request, json(Map.of("requestId", requestId, "rooms", new ArrayList<>(local.rooms()))));
            }
        } else if (type == RequestType.REMOTE_JOIN || type == RequestType.REMOTE_LEAVE
                || type == RequestType.REMOTE_DISCONNECT) {
            remoteRoomsRequest(type, request, mine);
        } else if (type == RequestType.REMOTE_FETCH) {
            if (!mine) {
                List<Object> sockets = new ArrayList<>();
                for (SocketDetails d : local.localSockets(readOptions(request.get("opts")))) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("id", d.id());
                    s.put("handshake", ValueTrees.fromJson(d.handshake(), List.of()));
                    s.put("rooms", new ArrayList<>(d.rooms()));
                    s.put("data", ValueTrees.fromJson(d.data(), List.of()));
                    sockets.add(s);
                }
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("requestId", requestId);
                response.put("sockets", sockets);
                respond(request, json(response));
            }
        } else if (type == RequestType.SERVER_SIDE_EMIT) {
            if (!mine) {
                serverSideEventFrom(request);
            }
        } else if (type == RequestType.BROADCAST) {
            if (!mine) {
                broadcastForAnotherNode(request);
            }
        }
        // other types (answers on the request channel, future ones) are not for a node to act on
    }

    private void remoteRoomsRequest(long type, Map<?, ?> request, boolean mine) {
        if (request.get("opts") != null) {
            if (mine) {
                return; // applied here when it was made
            }
            BroadcastOptions opts = readOptions(request.get("opts"));
            if (type == RequestType.REMOTE_JOIN) {
                local.addSockets(opts, new HashSet<>(strings(request.get("rooms"))));
            } else if (type == RequestType.REMOTE_LEAVE) {
                local.delSockets(opts, new HashSet<>(strings(request.get("rooms"))));
            } else {
                local.disconnectSockets(opts, Boolean.TRUE.equals(request.get("close")));
            }
            return;
        }
        // the older form, one socket by id (remoteJoin/remoteLeave/remoteDisconnect): answered by its node
        if (!(request.get("sid") instanceof String sid) || local.socketRooms(sid).isEmpty()) {
            return;
        }
        if (type == RequestType.REMOTE_JOIN) {
            context.join(sid, Set.of(String.valueOf(request.get("room"))));
        } else if (type == RequestType.REMOTE_LEAVE) {
            context.leave(sid, Set.of(String.valueOf(request.get("room"))));
        } else {
            context.disconnect(sid, Boolean.TRUE.equals(request.get("close")));
        }
        respond(request, json(Map.of("requestId", String.valueOf(request.get("requestId")))));
    }

    private void serverSideEventFrom(Map<?, ?> request) {
        List<byte[]> attachments = new ArrayList<>(0);
        JsonValue data = ValueTrees.toJson(list(request.get("data")), attachments);
        SocketPacket event = SocketPacket.event(context.namespace(), (JsonArray) data, SocketPacket.NO_ACK, attachments);
        if (!(data instanceof JsonArray a) || a.isEmpty() || a.get(0).getValueType() != JsonValue.ValueType.STRING) {
            throw new IllegalArgumentException("a server-side event's data starts with its name");
        }
        Object requestId = request.get("requestId");
        if (requestId == null) {
            context.serverSideEvent(event, null);
            return;
        }
        context.serverSideEvent(event, answer -> {
            // as socket.io: one argument is carried back, on the shared response channel
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("type", RequestType.SERVER_SIDE_EMIT);
            response.put("requestId", requestId);
            response.put("data", firstAsTree(answer));
            publish(responseChannel, () -> encodeRequest(response));
        });
    }

    private void broadcastForAnotherNode(Map<?, ?> request) {
        Object requestId = request.get("requestId");
        SocketPacket shape = PacketTrees.eventFromTree(request.get("packet"), context.namespace());
        SocketPacket packet = SocketPacket.event(context.namespace(), (JsonArray) shape.data(),
                remoteAckIds.getAndIncrement(), shape.attachments());
        local.broadcastWithAck(packet, readOptions(request.get("opts")), new AckListener() {
            @Override
            public void sent(int clientCount) {
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("type", RequestType.BROADCAST_CLIENT_COUNT);
                response.put("requestId", requestId);
                response.put("clientCount", (long) clientCount);
                respond(request, json(response));
            }

            @Override
            public void answered(Args answer) {
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("type", RequestType.BROADCAST_ACK);
                response.put("requestId", requestId);
                response.put("packet", firstAsTree(answer));
                respond(request, () -> Notepack.encode(response)); // always msgpack, as the official adapter
            }

            @Override
            public void lost(Exception reason) {
                // the requesting node's timeout covers it, as in socket.io
            }
        });
    }

    private void onResponse(String ch, byte[] body) {
        Map<?, ?> response;
        try {
            if (!(ValueTrees.decodeMessage(body) instanceof Map<?, ?> m)) {
                throw new IOException("a response is an object");
            }
            response = m;
        } catch (IOException e) {
            malformed.dropped("response", ch, e);
            return;
        }
        Object requestId = response.get("requestId");
        if (!(requestId instanceof String id)) {
            return;
        }
        try {
            PendingAckBroadcast ack = ackBroadcasts.get(id);
            if (ack != null) {
                Object type = response.get("type");
                if (Long.valueOf(RequestType.BROADCAST_CLIENT_COUNT).equals(type)) {
                    ack.count.nodeReported(((Number) response.get("clientCount")).intValue());
                } else if (Long.valueOf(RequestType.BROADCAST_ACK).equals(type)) {
                    ack.listener.answered(argsOf(response.get("packet")));
                }
                return;
            }
            PendingFetch fetch = fetches.get(id);
            if (fetch != null) {
                fetch.add(response.get("sockets"));
                if (fetch.complete() && fetches.remove(id) != null) {
                    fetch.timing.end(Outcome.ANSWERED);
                    fetch.result.complete(fetch.sockets);
                }
                return;
            }
            PendingServerSideEmit emit = serverSideEmits.get(id);
            if (emit != null) {
                emit.listener.answered(argsOf(response.get("data")));
                if (emit.answered() && serverSideEmits.remove(id) != null) {
                    emit.timing.end(Outcome.ANSWERED);
                    LOG.log(Level.FINE, "every node answered server-side emit {0}", id);
                }
            }
        } catch (RuntimeException e) {
            malformed.dropped("response", ch, e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private interface Encoder {
        byte[] encode();
    }

    /** Publishes, never blocking; a failure (Redis unreachable) was logged once by the connections. */
    private void publish(String target, Encoder message) {
        publish(target, message, () -> { });
    }

    /** As {@link #publish(String, Encoder)}, running {@code failed} when the message could not be published. */
    private void publish(String target, Encoder message, Runnable failed) {
        byte[] bytes;
        try {
            bytes = message.encode();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot encode a message for Redis channel " + target, e);
            failed.run();
            return;
        }
        redis.publish(target, bytes).whenComplete((r, e) -> {
            if (e != null) {
                LOG.log(Level.FINE, "publish on {0} failed: {1}", new Object[] {target, e});
                failed.run();
            }
        });
    }

    private void respond(Map<?, ?> request, Encoder response) {
        String target = options.publishOnSpecificResponseChannel()
                ? responseChannel + request.get("uid") + "#" : responseChannel;
        publish(target, response);
    }

    private static Encoder json(Map<String, Object> tree) {
        return () -> ValueTrees.toJsonText(tree).getBytes(StandardCharsets.UTF_8);
    }

    /** JSON as the official adapter writes requests, msgpack when binary is inside (JSON cannot carry it). */
    private static byte[] encodeRequest(Map<String, Object> request) {
        return ValueTrees.hasBinary(request) ? Notepack.encode(request)
                : ValueTrees.toJsonText(request).getBytes(StandardCharsets.UTF_8);
    }

    /** Options as the official adapter writes them: rooms, except and (for broadcasts) flags. */
    private static Map<String, Object> wireOptions(BroadcastOptions opts, boolean withFlags) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rooms", new ArrayList<>(opts.rooms()));
        out.put("except", new ArrayList<>(opts.except()));
        if (withFlags) {
            Map<String, Object> flags = new LinkedHashMap<>();
            BroadcastFlags f = opts.flags();
            if (f.volatileSend()) {
                flags.put("volatile", true);
            }
            if (!f.compress()) {
                flags.put("compress", false);
            }
            if (f.timeout() != null) {
                flags.put("timeout", f.timeout().toMillis());
            }
            out.put("flags", flags);
        }
        return out;
    }

    private static BroadcastOptions readOptions(Object tree) {
        BroadcastOptions out = BroadcastOptions.everyone();
        if (!(tree instanceof Map<?, ?> m)) {
            return out;
        }
        out = out.to(strings(m.get("rooms")).toArray(String[]::new))
                .except(strings(m.get("except")).toArray(String[]::new));
        if (m.get("flags") instanceof Map<?, ?> flags) {
            BroadcastFlags f = BroadcastFlags.NONE.withVolatile(Boolean.TRUE.equals(flags.get("volatile")));
            if (Boolean.FALSE.equals(flags.get("compress"))) {
                f = f.withCompress(false);
            }
            out = out.with(f);
        }
        return out;
    }

    /** Room names; socket.io allows numbers as rooms, which travel as numbers. */
    private static List<String> strings(Object tree) {
        List<String> out = new ArrayList<>();
        if (tree instanceof Collection<?> c) {
            for (Object o : c) {
                if (o != null) {
                    out.add(o instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : o.toString());
                }
            }
        }
        return out;
    }

    private static List<?> list(Object tree) {
        return tree instanceof List<?> l ? l : List.of();
    }

    /** The first argument of an answer as a tree, or null when there is none (socket.io carries one). */
    private static Object firstAsTree(Args answer) {
        if (answer.isEmpty()) {
            return null;
        }
        List<byte[]> attachments = new ArrayList<>(0);
        JsonValue json = PayloadValues.toJson(answer.get(0), attachments);
        return ValueTrees.fromJson(json, attachments);
    }

    /** One answer from another node: one argument, as Parley's {@link Args} hold it. */
    private static Args argsOf(Object tree) {
        List<byte[]> attachments = new ArrayList<>(0);
        JsonValue json = ValueTrees.toJson(tree, attachments);
        List<Object> one = new ArrayList<>(1);
        one.add(PayloadValues.fromJson(json, attachments));
        return new Args(one);
    }

    private static SocketDetails detailsOf(Object tree) {
        Map<?, ?> m = (Map<?, ?>) tree;
        JsonValue handshake = ValueTrees.toJson(m.get("handshake") == null ? Map.of() : m.get("handshake"), new ArrayList<>());
        JsonValue data = m.get("data") instanceof Map<?, ?> d ? ValueTrees.toJson(d, new ArrayList<>())
                : Jsonp.PROVIDER.createObjectBuilder().build();
        return new SocketDetails(String.valueOf(m.get("id")), (JsonObject) handshake,
                new HashSet<>(strings(m.get("rooms"))), (JsonObject) data);
    }

    // ---------------------------------------------------------------- requests awaiting answers

    /** A fetch: this node counts as the first answer, as in the official adapter. */
    private static final class PendingFetch {
        final CompletableFuture<List<SocketDetails>> result = new CompletableFuture<>();
        final List<SocketDetails> sockets;
        final AdapterRequests.Timing timing;
        private final Object lock = new Object();
        private final int nodes;
        private int answers = 1;

        PendingFetch(int nodes, List<SocketDetails> mine, AdapterRequests.Timing timing) {
            this.nodes = nodes;
            this.timing = timing;
            this.sockets = new ArrayList<>(mine);
        }

        void add(Object socketsTree) {
            synchronized (lock) {
                answers++;
                if (socketsTree instanceof List<?> l) {
                    for (Object s : l) {
                        sockets.add(detailsOf(s));
                    }
                }
            }
        }

        boolean complete() {
            synchronized (lock) {
                return answers >= nodes;
            }
        }
    }

    private static final class PendingServerSideEmit {
        final AckListener listener;
        final AdapterRequests.Timing timing;
        private final Object lock = new Object();
        private final int nodes;
        private int answers;

        PendingServerSideEmit(int nodes, AckListener listener, AdapterRequests.Timing timing) {
            this.nodes = nodes;
            this.timing = timing;
            this.listener = listener;
        }

        boolean answered() {
            synchronized (lock) {
                return ++answers >= nodes;
            }
        }
    }

    private record PendingAckBroadcast(AckCount count, AckListener listener, AdapterRequests.Timing timing) {
    }
}
