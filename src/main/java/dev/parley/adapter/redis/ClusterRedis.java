package dev.parley.adapter.redis;

import dev.parley.adapter.AdapterRequests;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * What the adapters of one factory share: the Lettuce {@link RedisClient} (closed with this only
 * when this made it), one connection for commands and publishing, one for subscriptions, and one
 * thread ({@code parley-redis-<kind>-<n>}) on which every received message is handled and every
 * request times out. Lettuce's own I/O threads ({@code lettuce-nioEventLoop-*},
 * {@code lettuce-epollEventLoop-*}) only hand messages over to it: handling may call Redis
 * synchronously, which an I/O thread must never wait for. Channels are routed to handlers by exact
 * name. Thread-safe.
 */
final class ClusterRedis implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterRedis.class.getName());
    private static final AtomicInteger COUNT = new AtomicInteger();
    static final RedisCodec<String, byte[]> BYTES = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    final RedisClient client;
    private final boolean ownsClient;
    final StatefulRedisConnection<String, byte[]> commands;
    final StatefulRedisPubSubConnection<String, byte[]> subscriptions;
    final ScheduledExecutorService events;
    private final Map<String, BiConsumer<String, byte[]>> routes = new ConcurrentHashMap<>();

    /** A Lettuce client for {@code url}, with {@code password} (when not null) instead of the URL's. */
    static RedisClient newClient(String url, String password) {
        return RedisClient.create(RedisConnections.uri(url, password));
    }

    /**
     * @param commandTimeout how long a synchronous command may take, queued while Lettuce reconnects
     *                       included: a broadcast waits for its publication at most this long when Redis
     *                       is gone (then reaches this node's sockets only), not Lettuce's default minute
     */
    /** Logs an outage of this factory's own client once, and its end once (never flips for a given client). */
    final OutageLog outages;
    /** Every adapter's requests to the other nodes, timed ({@link ClusterAdapter} records them). */
    final AdapterRequests requests = new AdapterRequests();

    ClusterRedis(RedisClient client, boolean ownsClient, String kind, Duration commandTimeout, int connections) {
        this.client = client;
        this.ownsClient = ownsClient;
        String name = "parley-redis-" + kind + "-" + COUNT.incrementAndGet();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // closing drops pending timeouts (the adapters already failed their requests) instead of waiting for them
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        this.events = executor;
        this.outages = new OutageLog("the " + kind + " adapter's Redis", connections);
        if (ownsClient) {
            // per connection timeouts (the stream reader's blocking XREAD needs a longer one than commands)
            client.setOptions(RedisConnections.clientOptions(io.lettuce.core.TimeoutOptions.enabled()));
            client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
                @Override
                public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection,
                                             java.net.SocketAddress address) {
                    outages.connected(connection);
                }

                @Override
                public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                    outages.disconnected(connection);
                }
            });
        }
        try {
            this.commands = client.connect(BYTES);
            commands.setTimeout(commandTimeout);
            this.subscriptions = client.connectPubSub(BYTES);
            subscriptions.setTimeout(commandTimeout);
        } catch (RuntimeException e) {
            events.shutdownNow();
            if (ownsClient) {
                client.shutdown();
            }
            throw e;
        }
        subscriptions.addListener(new RedisPubSubListener<>() {
            @Override
            public void message(String channel, byte[] message) {
                route(channel, message);
            }

            @Override
            public void message(String pattern, String channel, byte[] message) {
                route(channel, message);
            }

            @Override
            public void smessage(String channel, byte[] message) {
                route(channel, message);
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

    /** Where messages of {@code channel} go (on the events thread); subscribing is the caller's. */
    void route(String channel, BiConsumer<String, byte[]> handler) {
        routes.put(channel, handler);
    }

    void unroute(String channel) {
        routes.remove(channel);
    }

    private void route(String channel, byte[] message) {
        BiConsumer<String, byte[]> handler = routes.get(channel);
        if (handler == null) {
            return;
        }
        try {
            events.execute(() -> handler.accept(channel, message));
        } catch (RejectedExecutionException closing) {
            // the factory is closing: nobody is left to handle it
        }
    }

    /**
     * Waits for a command issued on a thread that may be interrupted (a web server's worker being
     * stopped): the wait goes on through interrupts (the flag is set again after) up to the
     * command's own timeout, and a failure is logged, never thrown, so the caller's cleanup goes on.
     */
    static void awaitQuietly(RedisFuture<?> future, String what) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    future.get(10, TimeUnit.SECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException e) {
                    LOG.log(Level.WARNING, what + " failed: " + e.getMessage());
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        outages.closing();
        events.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriptions.close();
        commands.close();
        if (ownsClient) {
            client.shutdown();
        }
    }
}
