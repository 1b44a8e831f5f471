package dev.parley.adapter.redis;

import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.BroadcastOptions;
import dev.parley.adapter.PersistedSession;
import dev.parley.adapter.PreparedPacket;
import dev.parley.adapter.RecoveryFailure;
import dev.parley.adapter.SessionLookup;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The cluster adapter over a Redis stream, wire-compatible with @socket.io/redis-streams-adapter
 * 0.3.1: broadcasts and room operations are XADDed ({@code MAXLEN ~ maxLen}) to one stream (entry
 * fields {@code uid}, {@code nsp}, {@code type} as a decimal string, {@code data} as JSON text, or
 * base64 msgpack when binary) and read back by the factory's one {@link StreamsReader}; requests
 * that need no replay (broadcasts with acknowledgement, fetchSockets, serverSideEmit) and all
 * responses go over classic pub/sub ({@code <prefix>#<nsp>#}, {@code <prefix>#<nsp>#<uid>#}),
 * msgpack. The server count is {@code PUBSUB NUMSUB <prefix>#<nsp>#}. Needs Redis 6.2 (GETDEL,
 * exclusive XRANGE).
 *
 * <p>Connection state recovery (when the session TTL is positive): each broadcast event is
 * numbered with its stream entry id, the offset socket.io-client hands back; a socket that left
 * for a recoverable reason is persisted under {@code <sessionKeyPrefix><pid>} ({@code SET ... PX
 * ttl}, base64 msgpack of {@code {sid, pid, rooms, data}}, as the reference), and any node of the
 * cluster, Parley's or Node's, can restore it: every broadcast its rooms select since the offset is
 * read from the stream (XRANGE) and delivered before any later one. Survives the death of the node
 * the client was on, up to the stream's length ({@code maxLen}). Session data crosses nodes as
 * JSON (values with no JSON form are lost).
 *
 * <p>Thread-safe. Local delivery of broadcasts and restores share one private lock, so a restored
 * socket gets each missed event once and in stream order.
 */
public final class StreamsAdapter extends ClusterAdapter {

    private static final Logger LOG = Logger.getLogger(StreamsAdapter.class.getName());
    private static final Pattern OFFSET = Pattern.compile("^[0-9]+-[0-9]+$");
    private static final long WATERMARK_MILLIS = 30_000;

    private final ClusterRedis redis;
    private final StreamsReader reader;
    private final StreamsAdapterFactory.Settings settings;
    private final MalformedLog badInput;
    private final String publicChannel;
    private final String privateChannel;
    private final Object deliveryLock = new Object();
    // socket id -> the last stream id a restore delivered to it: later deliveries of older entries skip it
    private final Map<String, String> watermarks = new ConcurrentHashMap<>();

    StreamsAdapter(AdapterContext context, ClusterRedis redis, StreamsReader reader,
                   StreamsAdapterFactory.Settings settings, MalformedLog badInput) {
        super(context, settings.requestTimeout(), redis.events, redis.requests);
        this.redis = redis;
        this.reader = reader;
        this.settings = settings;
        this.badInput = badInput;
        this.publicChannel = settings.channelPrefix() + "#" + context.namespace() + "#";
        this.privateChannel = publicChannel + uid + "#";
        redis.route(publicChannel, this::onPubSub);
        redis.route(privateChannel, this::onPubSub);
        if (settings.shardedPubSub()) {
            redis.subscriptions.sync().ssubscribe(publicChannel, privateChannel);
        } else {
            redis.subscriptions.sync().subscribe(publicChannel, privateChannel);
        }
        reader.register(context.namespace(), this::onEntry);
    }

    @Override
    protected boolean addsOffsets() {
        return settings.sessionTtl().toMillis() > 0;
    }

    // ---------------------------------------------------------------- publishing

    private static boolean isEphemeral(ClusterMessage message) {
        return (message.type() == ClusterMessageType.BROADCAST && message.data().containsKey("requestId"))
                || message.type() == ClusterMessageType.SERVER_SIDE_EMIT
                || message.type() == ClusterMessageType.FETCH_SOCKETS;
    }

    @Override
    protected boolean redisDown() {
        return redis.outages.down();
    }

    @Override
    protected String doPublish(ClusterMessage message) {
        if (isEphemeral(message)) {
            publish(publicChannel, ClusterMessageCodec.toMsgpack(message.toJsonObject(), message.attachments()));
            return "";
        }
        XAddArgs args = XAddArgs.Builder.maxlen(settings.maxLen()).approximateTrimming();
        return redis.commands.sync().xadd(settings.streamName(), args, encodeEntry(message));
    }

    private void publish(String channel, byte[] payload) {
        if (settings.shardedPubSub()) {
            redis.commands.sync().spublish(channel, payload);
        } else {
            redis.commands.sync().publish(channel, payload);
        }
    }

    @Override
    protected void doPublishResponse(String requesterUid, ClusterMessage response) {
        byte[] payload = ClusterMessageCodec.toMsgpack(response.toJsonObject(), response.attachments());
        String channel = settings.channelPrefix() + "#" + context.namespace() + "#" + requesterUid + "#";
        if (settings.shardedPubSub()) {
            redis.commands.async().spublish(channel, payload);
        } else {
            redis.commands.async().publish(channel, payload);
        }
    }

    @Override
    protected int countServers() {
        Map<String, Long> counts = settings.shardedPubSub() ? redis.commands.sync().pubsubShardNumsub(publicChannel)
                : redis.commands.sync().pubsubNumsub(publicChannel);
        Long n = counts.get(publicChannel);
        return n == null || n < 1 ? 1 : n.intValue();
    }

    /** The entry's fields as the reference writes them. */
    static Map<String, byte[]> encodeEntry(ClusterMessage message) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        fields.put("uid", bytes(message.uid()));
        fields.put("nsp", bytes(message.nsp()));
        fields.put("type", bytes(Integer.toString(message.type().code())));
        if (message.data() != null) {
            String data = message.type().mayContainBinary() && message.hasBinary()
                    ? Base64.getEncoder().encodeToString(ClusterMessageCodec.toMsgpack(message.data(),
                    message.attachments()))
                    : ClusterMessageCodec.toJson(message.data());
            fields.put("data", bytes(data));
        }
        return fields;
    }

    /** An entry read back; throws IllegalArgumentException when malformed. */
    static ClusterMessage decodeEntry(Map<String, String> fields) {
        String uid = fields.get("uid");
        String nsp = fields.get("nsp");
        String type = fields.get("type");
        if (uid == null || nsp == null || type == null) {
            throw new IllegalArgumentException("a stream entry without uid, nsp or type");
        }
        String data = fields.get("data");
        if (data == null || data.isEmpty()) {
            return ClusterMessage.of(uid, nsp, ClusterMessage.parseCode(type), null, List.of());
        }
        if (data.startsWith("{")) {
            return ClusterMessage.of(uid, nsp, ClusterMessage.parseCode(type), ClusterMessageCodec.parseJson(data),
                    List.of());
        }
        ClusterMessageCodec.Decoded d;
        try {
            d = ClusterMessageCodec.fromMsgpack(Base64.getDecoder().decode(data));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stream entry data is neither JSON nor base64 msgpack", e);
        }
        return ClusterMessage.of(uid, nsp, ClusterMessage.parseCode(type), d.value(), d.attachments());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- receiving

    private void onEntry(Map<String, String> fields, String id) {
        ClusterMessage message;
        try {
            message = decodeEntry(fields);
        } catch (RuntimeException e) {
            badInput.dropped("stream entry", e);
            return;
        }
        try {
            onMessage(message, id);
        } catch (RuntimeException e) {
            badInput.dropped("stream entry of type " + message.type(), e);
        }
    }

    private void onPubSub(String channel, byte[] raw) {
        try {
            ClusterMessageCodec.Decoded d = ClusterMessageCodec.fromMsgpack(raw);
            onMessage(ClusterMessage.fromJsonObject(d.value(), d.attachments()), "");
        } catch (RuntimeException e) {
            badInput.dropped("streams adapter pub/sub message", e);
        }
    }

    @Override
    protected void broadcastLocally(SocketPacket packet, BroadcastOptions options, String offset) {
        synchronized (deliveryLock) {
            if (watermarks.isEmpty() || offset == null || offset.isEmpty()) {
                local.broadcast(packet, options);
                return;
            }
            PreparedPacket prepared = null;
            for (String id : local.sockets(options)) {
                String mark = watermarks.get(id);
                if (mark != null && compareIds(offset, mark) <= 0) {
                    continue; // its restore delivered this entry already
                }
                if (prepared == null) {
                    prepared = context.prepare(packet);
                }
                context.deliver(id, prepared, options);
            }
        }
    }

    /** Orders two stream ids ({@code ms-seq}). */
    static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }

    // ---------------------------------------------------------------- sessions

    private String sessionKey(String pid) {
        return settings.sessionKeyPrefix() + pid;
    }

    @Override
    public void persistSession(PersistedSession session) {
        long ttl = settings.sessionTtl().toMillis();
        if (ttl <= 0) {
            return;
        }
        List<byte[]> attachments = new ArrayList<>();
        JsonValue data = PayloadValues.toJson(session.data(), attachments);
        JsonObject encoded = Jsonp.PROVIDER.createObjectBuilder().add("sid", session.sid()).add("pid", session.pid())
                .add("rooms", strings(session.rooms())).add("data", data).build();
        String value = Base64.getEncoder().encodeToString(ClusterMessageCodec.toMsgpack(encoded, attachments));
        // persisted as the socket closes, often on a web server's worker that the server's shutdown interrupts
        ClusterRedis.awaitQuietly(redis.commands.async().set(sessionKey(session.pid()), bytes(value),
                SetArgs.Builder.px(ttl)), "persisting session " + session.sid());
    }

    @Override
    public SessionLookup findSession(String pid, String offset) {
        try {
            return lookUp(pid, offset);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot look a session up in Redis: " + e.getMessage());
            return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION); // Redis unreachable: a fresh session
        }
    }

    private SessionLookup lookUp(String pid, String offset) {
        byte[] raw = redis.commands.sync().get(sessionKey(pid));
        if (raw == null) {
            return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION);
        }
        RecoveryFailure failure = checkOffset(offset);
        if (failure != null) {
            return SessionLookup.failed(failure);
        }
        PersistedSession session = decodeSession(raw);
        return session == null ? SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION) : SessionLookup.found(session);
    }

    /** Null when the offset is an entry still in the stream, else why not. */
    private RecoveryFailure checkOffset(String offset) {
        if (offset == null || !OFFSET.matcher(offset).matches()) {
            return RecoveryFailure.INVALID_OFFSET;
        }
        if (redis.commands.sync().xrange(settings.streamName(), Range.create(offset, offset)).isEmpty()) {
            return RecoveryFailure.MISSED_PACKETS_BEYOND_BOUND; // trimmed away (or never there)
        }
        return null;
    }

    @Override
    public SessionLookup restoreSession(String pid, String offset, Runnable onRestored) {
        try {
            return restore(pid, offset, onRestored);
        } catch (io.lettuce.core.RedisException e) {
            LOG.log(Level.WARNING, "cannot restore a session from Redis: " + e.getMessage());
            return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION); // Redis unreachable: a fresh session
        }
    }

    private SessionLookup restore(String pid, String offset, Runnable onRestored) {
        byte[] raw = redis.commands.sync().getdel(sessionKey(pid)); // a claim is final, as the reference's GETDEL
        if (raw == null) {
            return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION);
        }
        PersistedSession session = decodeSession(raw);
        if (session == null) {
            return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION);
        }
        synchronized (deliveryLock) {
            RecoveryFailure failure = checkOffset(offset);
            if (failure != null) {
                return SessionLookup.failed(failure);
            }
            List<StreamMessage<String, byte[]>> missed = readAfter(offset);
            local.addAll(session.sid(), session.rooms());
            onRestored.run();
            String last = offset;
            for (StreamMessage<String, byte[]> entry : missed) {
                last = entry.getId();
                deliverMissed(session, entry);
            }
            watermarks.put(session.sid(), last);
            String sid = session.sid();
            String mark = last;
            try {
                redis.events.schedule(() -> watermarks.remove(sid, mark), WATERMARK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException closing) {
                watermarks.remove(sid);
            }
        }
        return SessionLookup.found(session);
    }

    /** Every entry after {@code offset}, in order, a page at a time. */
    private List<StreamMessage<String, byte[]>> readAfter(String offset) {
        List<StreamMessage<String, byte[]>> out = new ArrayList<>();
        String from = offset;
        while (true) {
            List<StreamMessage<String, byte[]>> page = redis.commands.sync().xrange(settings.streamName(),
                    Range.from(Range.Boundary.excluding(from), Range.Boundary.unbounded()), Limit.from(1000));
            if (page.isEmpty()) {
                return out;
            }
            out.addAll(page);
            from = page.get(page.size() - 1).getId();
        }
    }

    private void deliverMissed(PersistedSession session, StreamMessage<String, byte[]> entry) {
        Map<String, String> fields = new HashMap<>();
        entry.getBody().forEach((k, v) -> fields.put(k, new String(v, StandardCharsets.UTF_8)));
        if (!context.namespace().equals(fields.get("nsp")) || !"3".equals(fields.get("type"))) {
            return;
        }
        try {
            ClusterMessage message = decodeEntry(fields);
            if (message.data().containsKey("requestId")) {
                return;
            }
            SocketPacket packet = packetFromJson(message.data().get("packet"), message.attachments());
            BroadcastOptions options = decodeOptions(message.data().get("opts"));
            if (options.flags().volatileSend() || packet.hasAck() || !selects(options, session.rooms())) {
                return;
            }
            context.deliver(session.sid(), context.prepare(packet.withOffset(entry.getId())), options);
        } catch (RuntimeException e) {
            badInput.dropped("stream entry replayed to a restored session", e);
        }
    }

    /** Whether a broadcast with these options reaches a socket in these rooms (the reference's shouldIncludePacket). */
    private static boolean selects(BroadcastOptions options, Set<String> rooms) {
        boolean included = options.rooms().isEmpty() || rooms.stream().anyMatch(options.rooms()::contains);
        return included && rooms.stream().noneMatch(options.except()::contains);
    }

    private PersistedSession decodeSession(byte[] raw) {
        try {
            ClusterMessageCodec.Decoded d = ClusterMessageCodec.fromMsgpack(
                    Base64.getDecoder().decode(new String(raw, StandardCharsets.UTF_8)));
            if (!(d.value() instanceof JsonObject o) || !(o.get("sid") instanceof JsonString sid)
                    || !(o.get("pid") instanceof JsonString pid)) {
                throw new IllegalArgumentException("a session without sid or pid");
            }
            Map<String, Object> data = new HashMap<>();
            if (o.get("data") instanceof JsonObject fields) {
                for (Map.Entry<String, JsonValue> e : fields.entrySet()) {
                    Object value = PayloadValues.fromJson(e.getValue(), d.attachments());
                    if (value != null) { // a persisted session keeps no nulls
                        data.put(e.getKey(), value);
                    }
                }
            }
            return new PersistedSession(sid.getString(), pid.getString(), stringSet(o.get("rooms")), data);
        } catch (RuntimeException e) {
            badInput.dropped("persisted session", e);
            return null;
        }
    }

    @Override
    public void delAll(String socketId) {
        super.delAll(socketId);
        watermarks.remove(socketId);
    }

    @Override
    public void close() {
        reader.unregister(context.namespace());
        super.close();
        try {
            if (settings.shardedPubSub()) {
                redis.subscriptions.sync().sunsubscribe(publicChannel, privateChannel);
            } else {
                redis.subscriptions.sync().unsubscribe(publicChannel, privateChannel);
            }
        } catch (RuntimeException e) {
            // Redis is gone: the subscriptions went with the connection
        }
        redis.unroute(publicChannel);
        redis.unroute(privateChannel);
    }

    @Override
    public String toString() {
        return "StreamsAdapter[" + context.namespace() + ", uid " + uid + "]";
    }
}
