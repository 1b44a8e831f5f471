package dev.parley.adapter.redis;

import dev.parley.adapter.AdapterFactory;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
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
}
