package dev.parley.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.AdapterFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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

    @Test
    void inDynamicModeANodeSubscribesToTheChannelOfEachPublicRoomWhileItHasMembers() throws Exception {
        InJvmNodes.Node a = node();
        try (RedisClient client = RedisClient.create(redis.url());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            InJvmNodes.Client member = cluster.connect(a, "red");
            await().atMost(Duration.ofSeconds(5)).until(() -> connection.sync().pubsubShardChannels()
                    .contains("socket.io#/#red#"));
            // a socket's own room is private: no channel of its own in DYNAMIC mode
            assertThat(connection.sync().pubsubShardChannels()).doesNotContain("socket.io#/#" + member.socket().id()
                    + "#");
            member.socket().disconnect();
            await().atMost(Duration.ofSeconds(5)).until(() -> !connection.sync().pubsubShardChannels()
                    .contains("socket.io#/#red#"));
        }
    }
}
