package dev.parley.adapter.redis;

import dev.parley.adapter.AdapterFactory;

/**
 * A Parley node and a Node node with the sharded adapter of @socket.io/redis-adapter 8.3 (dynamic
 * subscriptions: a broadcast to one room goes on that room's channel) as one cluster.
 */
class ShardedPubSubAdapterNodeInteropTest extends ClusterNodeInteropTest {

    @Override
    protected AdapterFactory factory(String url) {
        return ShardedPubSubAdapterFactory.builder(url).build();
    }

    @Override
    protected String nodeScript() {
        return "cluster/sharded-server.cjs";
    }
}
