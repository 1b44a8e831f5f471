package dev.parley.adapter.redis;

import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.BroadcastOptions;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The cluster adapter over Redis 7 sharded pub/sub, wire-compatible with
 * {@code createShardedAdapter} of @socket.io/redis-adapter 8.3: every node SSUBSCRIBEs to
 * {@code <prefix>#<nsp>#} (requests and broadcasts) and {@code <prefix>#<nsp>#<uid>#} (responses to
 * it); in the dynamic modes also to {@code <prefix>#<nsp>#<room>#} for each room it has sockets in,
 * where broadcasts to that one room (without acknowledgement) are published. Messages are JSON,
 * or msgpack (as notepack.io writes it) when they carry binaries. The server count is Redis's
 * {@code PUBSUB SHARDNUMSUB} of the namespace channel: it counts Node nodes too, and a node whose
 * connection is gone at once. Delivery is at most once: a node that is disconnected from Redis
 * misses what is published meanwhile (no connection state recovery with this adapter).
 */
public final class ShardedPubSubAdapter extends ClusterAdapter {

    private final ClusterRedis redis;
    private final String channel;
    private final String responseChannel;
    private final SubscriptionMode mode;
    private final MalformedLog badInput;
    private final Object subscriptionLock = new Object();
    private final Set<String> roomChannels = new HashSet<>(); // guarded by subscriptionLock

    ShardedPubSubAdapter(AdapterContext context, ClusterRedis redis, String prefix, SubscriptionMode mode,
                         Duration requestTimeout, MalformedLog badInput) {
        super(context, requestTimeout, redis.events, redis.requests);
        this.redis = redis;
        this.mode = mode;
        this.badInput = badInput;
        this.channel = prefix + "#" + context.namespace() + "#";
        this.responseChannel = channel + uid + "#";
        redis.route(channel, this::onRaw);
        redis.route(responseChannel, this::onRaw);
        redis.subscriptions.sync().ssubscribe(channel, responseChannel);
    }

    @Override
    protected boolean redisDown() {
        return redis.outages.down();
    }

    @Override
    protected String doPublish(ClusterMessage message) {
        redis.commands.sync().spublish(computeChannel(message), encode(message));
        return "";
    }

    private String computeChannel(ClusterMessage message) {
        if (message.type() == ClusterMessageType.BROADCAST && !message.data().containsKey("requestId")
                && message.data().get("opts") instanceof JsonObject opts && opts.get("rooms") instanceof JsonArray rooms
                && rooms.size() == 1 && rooms.get(0) instanceof JsonString room) {
            String name = room.getString();
            boolean dynamic = (mode == SubscriptionMode.DYNAMIC && !looksLikeASocketId(name))
                    || mode == SubscriptionMode.DYNAMIC_PRIVATE;
            if (dynamic) {
                return roomChannel(name);
            }
        }
        return channel;
    }

    private static boolean looksLikeASocketId(String room) {
        return room.length() == 20; // the reference's test: socket ids are 20 characters, Parley's too
    }

    private String roomChannel(String room) {
        return channel + room + "#";
    }

    @Override
    protected void doPublishResponse(String requesterUid, ClusterMessage response) {
        redis.commands.async().spublish(channel + requesterUid + "#", encode(response));
    }

    @Override
    protected int countServers() {
        Long n = redis.commands.sync().pubsubShardNumsub(channel).get(channel);
        return n == null || n < 1 ? 1 : n.intValue();
    }

    static byte[] encode(ClusterMessage message) {
        JsonObject whole = message.toJsonObject();
        if (message.type().mayContainBinary() && message.hasBinary()) {
            return ClusterMessageCodec.toMsgpack(whole, message.attachments());
        }
        return ClusterMessageCodec.toJson(whole).getBytes(StandardCharsets.UTF_8);
    }

    static ClusterMessage decode(byte[] raw) {
        if (raw.length > 0 && raw[0] == '{') {
            return ClusterMessage.fromJsonObject(ClusterMessageCodec.parseJson(new String(raw, StandardCharsets.UTF_8)),
                    null);
        }
        ClusterMessageCodec.Decoded d = ClusterMessageCodec.fromMsgpack(raw);
        return ClusterMessage.fromJsonObject(d.value(), d.attachments());
    }

    private void onRaw(String from, byte[] raw) {
        try {
            onMessage(decode(raw), "");
        } catch (RuntimeException e) {
            badInput.dropped("sharded pub/sub " + (raw.length > 0 && raw[0] == '{' ? "JSON" : "msgpack"), e);
        }
    }

    // ---------------------------------------------------------------- dynamic subscriptions, one per room in use

    @Override
    public void addAll(String socketId, Set<String> rooms) {
        super.addAll(socketId, rooms);
        if (mode != SubscriptionMode.STATIC) {
            updateRoomSubscriptions(rooms);
        }
    }

    @Override
    public void del(String socketId, String room) {
        super.del(socketId, room);
        if (mode != SubscriptionMode.STATIC) {
            updateRoomSubscriptions(Set.of(room));
        }
    }

    @Override
    public void delAll(String socketId) {
        Set<String> rooms = socketRooms(socketId);
        super.delAll(socketId);
        if (mode != SubscriptionMode.STATIC) {
            updateRoomSubscriptions(rooms);
        }
    }

    /** Subscribes to the channels of rooms now in use here, unsubscribes from those of rooms now empty. */
    private void updateRoomSubscriptions(Set<String> changed) {
        Set<String> inUse = local.rooms();
        synchronized (subscriptionLock) {
            for (String room : changed) {
                String roomChannel = roomChannel(room);
                boolean wanted = inUse.contains(room)
                        && (mode == SubscriptionMode.DYNAMIC_PRIVATE || local.socketRooms(room).isEmpty());
                // joins and leaves run on sockets' threads, which a stopping web server interrupts: never throw there
                if (wanted && roomChannels.add(roomChannel)) {
                    redis.route(roomChannel, this::onRaw);
                    ClusterRedis.awaitQuietly(redis.subscriptions.async().ssubscribe(roomChannel),
                            "subscribing to " + roomChannel);
                } else if (!wanted && roomChannels.remove(roomChannel)) {
                    ClusterRedis.awaitQuietly(redis.subscriptions.async().sunsubscribe(roomChannel),
                            "unsubscribing from " + roomChannel);
                    redis.unroute(roomChannel);
                }
            }
        }
    }

    @Override
    public void close() {
        super.close();
        Set<String> channels = new HashSet<>(Set.of(channel, responseChannel));
        synchronized (subscriptionLock) {
            channels.addAll(roomChannels);
            roomChannels.clear();
        }
        try {
            redis.subscriptions.sync().sunsubscribe(channels.toArray(String[]::new));
        } catch (RuntimeException e) {
            // Redis is gone: the subscriptions went with the connection
        }
        channels.forEach(redis::unroute);
    }

    @Override
    public String toString() {
        return "ShardedPubSubAdapter[" + context.namespace() + ", uid " + uid + "]";
    }
}
