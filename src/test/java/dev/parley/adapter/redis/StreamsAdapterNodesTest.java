package dev.parley.adapter.redis;

import dev.parley.adapter.AdapterFactory;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;
import java.time.Duration;

/** Several Parley nodes with the Redis Streams adapter on one real Redis. */
class StreamsAdapterNodesTest extends ClusterAdapterNodesTest {

    @Override
    protected AdapterFactory factory(String url, Duration requestTimeout) {
        return StreamsAdapterFactory.builder(url).requestTimeout(requestTimeout).sessionTtl(Duration.ofMinutes(1))
                .build();
    }

    @Override
    protected void subscribeAsSilentNode(StatefulRedisPubSubConnection<String, String> connection) {
        connection.sync().subscribe("socket.io#/#");
    }

    @Override
    protected int sendGarbage(RedisCommands<String, String> redis) {
        redis.xadd("socket.io", Map.of("uid", "x", "nsp", "/", "type", "3", "data", "not base64 msgpack!"));
        redis.xadd("socket.io", Map.of("uid", "x", "nsp", "/", "type", "3", "data", "{\"packet\":5}"));
        redis.publish("socket.io#/#", "\u0091\u00c1 not msgpack");
        return 3; // a stream entry unreadable, one not a broadcast, a pub/sub message
    }
}
