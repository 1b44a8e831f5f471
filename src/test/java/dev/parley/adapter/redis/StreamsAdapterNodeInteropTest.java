package dev.parley.adapter.redis;

import dev.parley.adapter.AdapterFactory;
import java.time.Duration;

/** A Parley node and a Node node with @socket.io/redis-streams-adapter 0.3.1 as one cluster. */
class StreamsAdapterNodeInteropTest extends ClusterNodeInteropTest {

    @Override
    protected AdapterFactory factory(String url) {
        return StreamsAdapterFactory.builder(url).sessionTtl(Duration.ofMinutes(1)).build();
    }

    @Override
    protected String nodeScript() {
        return "cluster/streams-server.cjs";
    }
}
