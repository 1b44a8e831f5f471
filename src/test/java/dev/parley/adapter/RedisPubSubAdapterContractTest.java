package dev.parley.adapter;

import dev.parley.adapter.redis.RedisAdapterFactory;
import dev.parley.adapter.redis.RedisAdapterOptions;
import dev.parley.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Redis pub/sub adapter against the adapter contract, one node alone on a real redis-server:
 * it must behave as the in-memory adapter (serverCount 1, its own messages ignored). Each test has
 * its own key, so no earlier test's connection is counted as a node.
 */
class RedisPubSubAdapterContractTest extends AdapterContractTest {

    private static final AtomicInteger KEYS = new AtomicInteger();
    private static RedisServer redis;
    private final List<RedisAdapterFactory> factories = new ArrayList<>();
    private final List<Adapter> adapters = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Adapter newAdapter(AdapterContext context) {
        RedisAdapterFactory factory = new RedisAdapterFactory(
                RedisAdapterOptions.of(redis.url()).withKey("contract-" + KEYS.incrementAndGet()));
        factories.add(factory);
        Adapter adapter = factory.create(context);
        adapters.add(adapter);
        return adapter;
    }

    @AfterEach
    void closeAdapters() {
        adapters.forEach(Adapter::close);
        factories.forEach(RedisAdapterFactory::close);
    }
}
