package dev.parley.adapter.redis;

import dev.parley.adapter.Adapter;
import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.AdapterFactory;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a {@link RedisPubSubAdapter} for each namespace of a server, all sharing one Lettuce
 * {@code RedisClient} with two connections (one publishing and asking, one subscribed) and one
 * thread, {@code parley-redis-adapter-N}, on which messages from Redis are handled in order and
 * request timeouts fire. Connects when made: Redis must be reachable then (later outages are
 * survived). {@link #close()} (the server calls it when it closes) closes the connections and stops
 * the thread and Lettuce's own threads ({@code lettuce-nioEventLoop-*}, {@code lettuce-eventExecutorLoop-*},
 * {@code lettuce-timer-*}). Thread-safe.
 */
public final class RedisAdapterFactory implements AdapterFactory {

    private static final AtomicInteger FACTORIES = new AtomicInteger();

    private final RedisAdapterOptions options;
    private final RedisConnections redis;
    private final ScheduledThreadPoolExecutor executor;
    private final MalformedLog malformed = new MalformedLog();

    /**
     * Connects to Redis.
     *
     * @throws IllegalStateException when Redis cannot be reached
     * @throws NoClassDefFoundError when Lettuce or msgpack-core is missing (see {@link #requireDependencies})
     */
    public RedisAdapterFactory(RedisAdapterOptions options) {
        this.options = options;
        this.redis = new RedisConnections(options);
        String name = "parley-redis-adapter-" + FACTORIES.incrementAndGet();
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * Fails, naming the Maven dependency to add, when a library the Redis adapter needs is not on the
     * class path (both are optional dependencies of Parley).
     *
     * @throws IllegalStateException naming the missing dependency
     */
    public static void requireDependencies() {
        require("io.lettuce.core.RedisClient", "io.lettuce:lettuce-core");
        require("org.msgpack.core.MessagePack", "org.msgpack:msgpack-core");
    }

    private static void require(String className, String artifact) {
        try {
            Class.forName(className, false, RedisAdapterFactory.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("the Redis adapter needs " + artifact + " on the class path: add that "
                    + "dependency (" + className + " is missing)");
        }
    }

    @Override
    public Adapter create(AdapterContext context) {
        return new RedisPubSubAdapter(context, redis, executor, options, malformed);
    }

    /** The options it was made with. */
    public RedisAdapterOptions options() {
        return options;
    }

    @Override
    public void close() {
        try {
            redis.close();
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
