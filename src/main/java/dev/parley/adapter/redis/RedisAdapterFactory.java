package dev.parley.adapter.redis;

import dev.parley.adapter.Adapter;
import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.AdapterFactory;
import dev.parley.adapter.AdapterHealth;
import dev.parley.adapter.AdapterRequests;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a {@link RedisPubSubAdapter} for each namespace of a server, all sharing one Lettuce
 * {@code RedisClient} with two connections (one publishing and asking, one subscribed) and one
 * thread, {@code parley-redis-adapter-N}, on which messages from Redis are handled in order and
 * request timeouts fire. Connects when it makes its first adapter (the server's first namespace):
 * Redis must be reachable then, or that fails with an {@link IllegalStateException}; later outages
 * are survived. {@link #close()} (the server calls it when it closes) closes the connections and stops
 * the thread and Lettuce's own threads ({@code lettuce-nioEventLoop-*}, {@code lettuce-eventExecutorLoop-*},
 * {@code lettuce-timer-*}). Thread-safe.
 */
public final class RedisAdapterFactory implements AdapterFactory {

    private static final AtomicInteger FACTORIES = new AtomicInteger();

    private final RedisAdapterOptions options;
    private final Object lock = new Object();
    private RedisConnections redis; // guarded by lock: made by the first create()
    private boolean closed; // guarded by lock
    private final ScheduledThreadPoolExecutor executor;
    private final MalformedLog malformed = new MalformedLog();
    private final AdapterRequests requests = new AdapterRequests();

    /** A factory that connects to Redis when it makes its first adapter. */
    public RedisAdapterFactory(RedisAdapterOptions options) {
        this.options = options;
        String name = "parley-redis-adapter-" + FACTORIES.incrementAndGet();
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * The adapter of a namespace, subscribed (Redis confirmed it) when it returns.
     *
     * @throws IllegalStateException when the first connection to Redis fails, or after {@link #close()}
     */
    @Override
    public Adapter create(AdapterContext context) {
        return new RedisPubSubAdapter(context, connections(), executor, options, malformed, requests);
    }

    private RedisConnections connections() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this Redis adapter factory is closed");
            }
            if (redis == null) {
                redis = new RedisConnections(options);
            }
            return redis;
        }
    }

    /**
     * {@code redis}: connected, reconnecting (an outage under way, Lettuce retrying), or down
     * (not connected yet, or closed).
     */
    @Override
    public AdapterHealth health() {
        synchronized (lock) {
            AdapterHealth.State state = closed || redis == null ? AdapterHealth.State.DOWN : redis.outages().state();
            return new AdapterHealth("redis", state);
        }
    }

    @Override
    public AdapterRequests requests() {
        return requests;
    }

    /** The options it was made with. */
    public RedisAdapterOptions options() {
        return options;
    }

    @Override
    public void close() {
        RedisConnections toClose;
        synchronized (lock) {
            closed = true;
            toClose = redis;
        }
        try {
            if (toClose != null) {
                toClose.close();
            }
        } finally {
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
