package dev.parley.cluster;

import dev.parley.testing.ClusterNodes;
import java.util.stream.Stream;

/** What the cluster ITs share: the node kinds they run against. */
final class ClusterSetup {

    /** Nodes per cluster in the ITs. */
    static final int NODES = 3;

    private ClusterSetup() {
    }

    /** The kinds of node the cluster ITs run against: Node Socket.IO and Parley, each on Redis pub/sub. */
    static Stream<ClusterNodes.Kind> kinds() {
        return Stream.of(ClusterNodes.Kind.NODE_REDIS, ClusterNodes.Kind.PARLEY_REDIS);
    }
}
