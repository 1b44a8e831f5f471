package dev.parley.adapter.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The two Redis connections a node's adapters share, as the official adapter's {@code pubClient}
 * and {@code subClient}: one for PUBLISH and PUBSUB NUMSUB, one in subscribed state. Channels are
 * UTF-8 strings, messages bytes. Lettuce reconnects both with exponential backoff (100 ms to 5 s)
 * and subscribes again by itself; while a connection is down its commands are rejected at once
 * (nothing queues), so a publish fails fast and asynchronously. Each command times out after the
 * request timeout. Messages arrive on Lettuce's event loop threads; {@link Sink}s must hand them on.
 */
final class RedisConnections implements AutoCloseable {

    /** Where subscribed messages go. */
    interface Sink {
        /** A message on a channel subscribed by name. */
        void message(String channel, byte[] body);

        /** A message on a channel matched by a pattern. */
        void patternMessage(String pattern, String channel, byte[] body);
    }

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final ClientResources resources;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> pub; // set once, read by the state listener
    private final StatefulRedisPubSubConnection<String, byte[]> sub;
    private final List<Sink> sinks = new CopyOnWriteArrayList<>();
    private final Set<RedisFuture<Long>> inFlight = ConcurrentHashMap.newKeySet();
    private final OutageLog outages;
    private final Duration commandTimeout;

    /** The URI of {@code url}, with {@code password} (when not null) instead of the URL's, the URL's user kept. */
    static RedisURI uri(String url, String password) {
        RedisURI uri = RedisURI.create(url);
        if (password != null) {
            String user = uri.getCredentialsProvider() == null ? null
                    : uri.getCredentialsProvider().resolveCredentials().block().getUsername();
            char[] secret = password.toCharArray();
            uri.setCredentialsProvider(RedisCredentialsProvider.from(() -> RedisCredentials.just(user, secret)));
        }
        return uri;
    }

    /** The commands Lettuce must not write again after a reconnection: Redis may have passed them on already. */
    private static final java.util.Set<String> NOT_REPLAYED = java.util.Set.of("PUBLISH", "SPUBLISH", "XADD");

    /**
     * How every Redis adapter's own Lettuce client behaves, in one place: it reconnects by itself (with the
     * resources' backoff); while disconnected a command fails at once rather than queue (a broadcast
     * reaches this node's sockets and does not wait for Redis; nothing piles up); the queue of commands in
     * flight is bounded; and a write to the other nodes that was in flight when the connection dropped is
     * not written again after the reconnection (Redis may have passed it on: cross-node delivery stays at
     * most once, as with the official adapters).
     */
    static ClientOptions clientOptions(TimeoutOptions timeouts) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(65_536) // bounded: past it a command fails rather than waits
                .timeoutOptions(timeouts)
                .replayFilter(command -> NOT_REPLAYED.contains(new String(command.getType().getBytes(),
                        java.nio.charset.StandardCharsets.US_ASCII)))
                .build();
    }

    RedisConnections(RedisAdapterOptions options) {
        RedisURI uri = uri(options.redisUrl(), options.password());
        this.commandTimeout = options.requestTimeout();
        this.outages = new OutageLog(uri.getHost() + ":" + uri.getPort(), 2);
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2) // Lettuce's minimum
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(clientOptions(TimeoutOptions.enabled(commandTimeout)));
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                outages.connected(connection);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection == pub) {
                    forgetPublishesInFlight();
                }
                outages.disconnected(connection);
            }
        });
        try {
            this.pub = client.connect(CODEC);
            this.sub = client.connectPubSub(CODEC);
        } catch (RuntimeException e) {
            shutdown();
            throw new IllegalStateException("cannot connect to Redis at " + uri.getHost() + ":" + uri.getPort()
                    + ": " + e.getMessage(), e);
        }
        sub.addListener(new RedisPubSubListener<>() {
            @Override
            public void message(String channel, byte[] message) {
                for (Sink s : sinks) {
                    s.message(channel, message);
                }
            }

            @Override
            public void message(String pattern, String channel, byte[] message) {
                for (Sink s : sinks) {
                    s.patternMessage(pattern, channel, message);
                }
            }

            @Override
            public void subscribed(String channel, long count) {
            }

            @Override
            public void psubscribed(String pattern, long count) {
            }

            @Override
            public void unsubscribed(String channel, long count) {
            }

            @Override
            public void punsubscribed(String pattern, long count) {
            }
        });
    }

    /** Publishes; the future fails (never blocks) when Redis is unreachable. */
    CompletableFuture<Long> publish(String channel, byte[] message) {
        RedisFuture<Long> f = pub.async().publish(channel, message);
        inFlight.add(f);
        f.whenComplete((r, e) -> inFlight.remove(f));
        return f.toCompletableFuture();
    }

    /**
     * Lettuce writes again, after a reconnection, the commands that were sent but not answered when
     * the connection dropped (at least once). A PUBLISH that Redis may already have passed on must
     * not go out twice: the ones in flight are cancelled, and Lettuce writes no cancelled command.
     * Cross-node delivery stays at most once, as with the official adapter.
     */
    private void forgetPublishesInFlight() {
        for (RedisFuture<Long> f : inFlight) {
            f.cancel(false);
        }
    }

    /** How many connections subscribe to {@code channel} ({@code PUBSUB NUMSUB}). */
    CompletableFuture<Integer> numsub(String channel) {
        return pub.async().pubsubNumsub(channel).toCompletableFuture()
                .thenApply(m -> m.getOrDefault(channel, 0L).intValue());
    }

    /**
     * Subscribes {@code sink} to a pattern and channels, waiting for Redis to confirm (up to the
     * command timeout): once it returns, messages published on them reach the sink.
     */
    void subscribe(Sink sink, String pattern, String... channels) {
        sinks.add(sink);
        CompletableFuture<Void> p = sub.async().psubscribe(pattern).toCompletableFuture();
        CompletableFuture<Void> c = sub.async().subscribe(channels).toCompletableFuture();
        try {
            CompletableFuture.allOf(p, c).get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Redis down at this moment: Lettuce subscribes again when it reconnects
            java.util.logging.Logger.getLogger(RedisConnections.class.getName()).warning(
                    "subscribing to " + pattern + " failed (" + e + "); retried when Redis is reachable");
        }
    }

    /** Undoes {@link #subscribe}; does not wait. */
    void unsubscribe(Sink sink, String pattern, String... channels) {
        sinks.remove(sink);
        if (sub.isOpen()) {
            sub.async().punsubscribe(pattern);
            sub.async().unsubscribe(channels);
        }
    }

    OutageLog outages() {
        return outages;
    }

    @Override
    public void close() {
        outages.closing();
        try {
            sub.close();
            pub.close();
        } finally {
            shutdown();
        }
    }

    private void shutdown() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
