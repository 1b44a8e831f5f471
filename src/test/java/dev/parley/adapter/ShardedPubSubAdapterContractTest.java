package dev.parley.adapter;

import dev.parley.adapter.redis.ShardedPubSubAdapterFactory;
import dev.parley.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The sharded pub/sub adapter against the adapter contract: one node on a real Redis 7. */
class ShardedPubSubAdapterContractTest extends AdapterContractTest {

    private static RedisServer redis;
    private ShardedPubSubAdapterFactory factory;
    private Adapter adapter;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected Adapter newAdapter(AdapterContext context) {
        factory = ShardedPubSubAdapterFactory.builder(redis.url()).build();
        adapter = factory.create(context);
        return adapter;
    }

    @AfterEach
    void closeFactory() {
        adapter.close();
        factory.close();
    }
}
