package dev.parley.adapter.redis;

import dev.parley.adapter.AdapterFactory;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;

/** Several Parley nodes with the sharded pub/sub adapter on one real Redis 7. */
class ShardedPubSubAdapterNodesTest extends ClusterAdapterNodesTest {

    @Override
    protected AdapterFactory factory(String url, Duration requestTimeout) {
        return ShardedPubSubAdapterFactory.builder(url).requestTimeout(requestTimeout).build();
    }

    @Override
    protected void subscribeAsSilentNode(StatefulRedisPubSubConnection<String, String> connection) {
        connection.sync().ssubscribe("socket.io#/#");
    }

    @Override
    protected int sendGarbage(RedisCommands<String, String> redis) {
        redis.spublish("socket.io#/#", "{not json");
        redis.spublish("socket.io#/#", "{\"uid\":\"x\",\"nsp\":\"/\",\"type\":3,\"data\":{\"packet\":5}}");
        redis.spublish("socket.io#/#", "\u0091\u00c1 not msgpack");
        return 2; // JSON, msgpack
    }
}
