package dev.parley.adapter.redis;

import dev.parley.adapter.Adapter;
import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.AdapterFactory;
import dev.parley.adapter.AdapterHealth;
import dev.parley.adapter.AdapterRequests;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Makes a {@link StreamsAdapter} per namespace, all sharing one stream reader thread
 * ({@code parley-redis-streams-reader-<n>}, XREAD BLOCK on its own connection), one publishing
 * connection, one subscription connection and one events thread ({@code parley-redis-streams-<n>}).
 * Options and defaults as @socket.io/redis-streams-adapter 0.3.1's {@code createAdapter}: stream
 * {@code socket.io}, {@code maxLen} 10,000 ({@code MAXLEN ~}), read count 100, block 5 s, channel
 * prefix {@code socket.io}, session key prefix {@code sio:session:}, classic (not sharded) pub/sub;
 * plus the request timeout (5 s) and the session TTL: set it to the server's
 * {@code recovery-max-disconnection} to have connection state recovery across nodes (0, the
 * default, keeps no session and numbers no event). Closing the factory stops the reader and closes
 * the connections, and the Lettuce client when the factory made it from a URL.
 */
public final class StreamsAdapterFactory implements AdapterFactory {

    /** The options, immutable. */
    public record Settings(String streamName, long maxLen, int readCount, Duration blockTime, String channelPrefix,
                           String sessionKeyPrefix, Duration sessionTtl, Duration requestTimeout,
                           boolean shardedPubSub) {
    }

    private final ClusterRedis redis;
    private final StreamsReader reader;
    private final Settings settings;
    private final MalformedLog badInput = new MalformedLog();

    private StreamsAdapterFactory(Builder b) {
        this.settings = new Settings(b.streamName, b.maxLen, b.readCount, b.blockTime, b.channelPrefix,
                b.sessionKeyPrefix, b.sessionTtl, b.requestTimeout, b.shardedPubSub);
        RedisClient client = b.client != null ? b.client : ClusterRedis.newClient(b.url, b.password);
        this.redis = new ClusterRedis(client, b.client == null, "streams", b.requestTimeout,
                3); // commands, subscriptions, the stream reader
        StreamsReader r;
        try {
            r = new StreamsReader(client, settings.streamName(), settings.readCount(), settings.blockTime());
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        this.reader = r;
    }

    /** A factory of its own Lettuce client for {@code redisUrl} (e.g. {@code redis://127.0.0.1:6379}). */
    public static Builder builder(String redisUrl) {
        return new Builder(Objects.requireNonNull(redisUrl, "redisUrl"), null);
    }

    /** A factory on the caller's client (the caller shuts it down, after this factory is closed). */
    public static Builder builder(RedisClient client) {
        return new Builder(null, Objects.requireNonNull(client, "client"));
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public Adapter create(AdapterContext context) {
        return new StreamsAdapter(context, redis, reader, settings, badInput);
    }

    /** {@code redis-streams}: connected, reconnecting during an outage, down once closed. */
    @Override
    public AdapterHealth health() {
        return new AdapterHealth("redis-streams", redis.outages.state());
    }

    @Override
    public AdapterRequests requests() {
        return redis.requests;
    }

    @Override
    public void close() {
        reader.close();
        redis.close();
    }

    /** Options of a {@link StreamsAdapterFactory}; {@link #build()} connects and starts the reader. */
    public static final class Builder {
        private final String url;
        private final RedisClient client;
        private String password;
        private String streamName = "socket.io";
        private long maxLen = 10_000;
        private int readCount = 100;
        private Duration blockTime = Duration.ofSeconds(5);
        private String channelPrefix = "socket.io";
        private String sessionKeyPrefix = "sio:session:";
        private Duration sessionTtl = Duration.ZERO;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private boolean shardedPubSub;

        private Builder(String url, RedisClient client) {
            this.url = url;
            this.client = client;
        }

        public Builder streamName(String value) {
            this.streamName = Objects.requireNonNull(value);
            return this;
        }

        /** The stream's approximate bound ({@code XADD MAXLEN ~}), 10,000 by default. */
        public Builder maxLen(long value) {
            this.maxLen = positive(value, "maxLen");
            return this;
        }

        public Builder readCount(int value) {
            this.readCount = (int) positive(value, "readCount");
            return this;
        }

        public Builder blockTime(Duration value) {
            this.blockTime = positive(value, "blockTime");
            return this;
        }

        public Builder channelPrefix(String value) {
            this.channelPrefix = Objects.requireNonNull(value);
            return this;
        }

        public Builder sessionKeyPrefix(String value) {
            this.sessionKeyPrefix = Objects.requireNonNull(value);
            return this;
        }

        /**
         * How long a disconnected socket's session is kept: the server's recovery-max-disconnection,
         * and 0 (none, no offsets) when recovery is off, since the offset is an event's last argument.
         */
        public Builder sessionTtl(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("session TTL must not be negative: " + value);
            }
            this.sessionTtl = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /** SPUBLISH/SSUBSCRIBE instead of PUBLISH/SUBSCRIBE for the requests (the reference's useShardedPubSub). */
        public Builder shardedPubSub(boolean value) {
            this.shardedPubSub = value;
            return this;
        }

        /** The Redis password, instead of one in the URL (e.g. read from a secret file); not for a given client. */
        public Builder password(String value) {
            if (client != null) {
                throw new IllegalStateException("the password of a given client is that client's");
            }
            this.password = Objects.requireNonNull(value);
            return this;
        }

        public StreamsAdapterFactory build() {
            return new StreamsAdapterFactory(this);
        }

        private static long positive(long value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String name) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
