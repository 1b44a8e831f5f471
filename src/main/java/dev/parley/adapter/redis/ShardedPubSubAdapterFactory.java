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
 * Makes a {@link ShardedPubSubAdapter} per namespace, all sharing one subscription connection, one
 * publishing connection and one events thread ({@code parley-redis-sharded-<n>}). Needs Redis 7
 * (SPUBLISH, SSUBSCRIBE). Options as @socket.io/redis-adapter's {@code createShardedAdapter}:
 * channel prefix ({@code socket.io}), subscription mode ({@code DYNAMIC}); plus the request
 * timeout of fetchSockets, serverSideEmit and acknowledgement counts (5 s). Closing the factory
 * closes the connections, and the Lettuce client when the factory made it from a URL.
 */
public final class ShardedPubSubAdapterFactory implements AdapterFactory {

    private final ClusterRedis redis;
    private final String prefix;
    private final SubscriptionMode mode;
    private final Duration requestTimeout;
    private final MalformedLog badInput = new MalformedLog();

    private ShardedPubSubAdapterFactory(Builder b) {
        this.prefix = b.prefix;
        this.mode = b.mode;
        this.requestTimeout = b.requestTimeout;
        this.redis = new ClusterRedis(b.client != null ? b.client : ClusterRedis.newClient(b.url, b.password), b.client == null,
                "sharded", b.requestTimeout, 2);
    }

    /** A factory of its own Lettuce client for {@code redisUrl} (e.g. {@code redis://127.0.0.1:6379}). */
    public static Builder builder(String redisUrl) {
        return new Builder(Objects.requireNonNull(redisUrl, "redisUrl"), null);
    }

    /** A factory on the caller's client (the caller shuts it down, after this factory is closed). */
    public static Builder builder(RedisClient client) {
        return new Builder(null, Objects.requireNonNull(client, "client"));
    }

    @Override
    public Adapter create(AdapterContext context) {
        return new ShardedPubSubAdapter(context, redis, prefix, mode, requestTimeout, badInput);
    }

    /** {@code redis-sharded}: connected, reconnecting during an outage, down once closed. */
    @Override
    public AdapterHealth health() {
        return new AdapterHealth("redis-sharded", redis.outages.state());
    }

    @Override
    public AdapterRequests requests() {
        return redis.requests;
    }

    @Override
    public void close() {
        redis.close();
    }

    /** Options of a {@link ShardedPubSubAdapterFactory}; {@link #build()} connects. */
    public static final class Builder {
        private final String url;
        private final RedisClient client;
        private String password;
        private String prefix = "socket.io";
        private SubscriptionMode mode = SubscriptionMode.DYNAMIC;
        private Duration requestTimeout = Duration.ofSeconds(5);

        private Builder(String url, RedisClient client) {
            this.url = url;
            this.client = client;
        }

        /** The channels' prefix, {@code socket.io} by default (the reference's {@code channelPrefix}). */
        public Builder channelPrefix(String value) {
            this.prefix = Objects.requireNonNull(value);
            return this;
        }

        public Builder subscriptionMode(SubscriptionMode value) {
            this.mode = Objects.requireNonNull(value);
            return this;
        }

        /** How long a request waits for the other nodes, 5 s by default. */
        public Builder requestTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("request timeout must be positive: " + value);
            }
            this.requestTimeout = value;
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

        /** Connects to Redis; fails with Lettuce's exception when it cannot. */
        public ShardedPubSubAdapterFactory build() {
            return new ShardedPubSubAdapterFactory(this);
        }
    }
}
