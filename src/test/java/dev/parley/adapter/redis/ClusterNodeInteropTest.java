package dev.parley.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.AdapterFactory;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.RemoteSocket;
import dev.parley.testing.NodeServerProcess;
import dev.parley.testing.RedisServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One cluster of a Parley node and an official Node Socket.IO 4.8 node with the official adapter of
 * the same kind ({@code src/test/node/cluster/*-server.cjs}) on one real Redis, with real clients on
 * each: broadcasts (rooms, binaries, acknowledgements), fetchSockets, serverSideEmit and the server
 * count work both ways. A subclass names the adapter and the Node script.
 */
abstract class ClusterNodeInteropTest {

    /** The Parley node's adapter factory on {@code url}. */
    protected abstract AdapterFactory factory(String url);

    /** The Node node's script, under {@code src/test/node}. */
    protected abstract String nodeScript();

    private static final File NODE_TESTS = new File(System.getProperty("parley.nodeTests", "src/test/node"));

    private RedisServer redis;
    private NodeServerProcess node;
    private InJvmNodes cluster;
    private InJvmNodes.Node parley;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        cluster = new InJvmNodes();
        parley = cluster.start(() -> factory(redis.url()), 60_000);
        parley.parley().onServerSideEmit("ping", (args, ack) -> ack.send("pong from parley " + args.get(0)));
        node = NodeServerProcess.start(NODE_TESTS, nodeScript(), Map.of("REDIS_URL", redis.url()));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            cluster.close();
            if (node != null) {
                node.close();
            }
        } finally {
            redis.close();
        }
    }

    private static Queue<String> binaries(InJvmNodes.Client client) {
        Queue<String> out = new ConcurrentLinkedQueue<>();
        client.socket().on("bin", (args, reply) -> out.add(new String(args.getBytes(0), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void broadcastsFetchesAndServerSideEmitsGoBothWays() throws Exception {
        InJvmNodes.Client onParley = cluster.connect(parley, "red");
        InJvmNodes.Client onNodeRed = cluster.connect(node.port(), "red");
        InJvmNodes.Client onNodeBlue = cluster.connect(node.port(), "blue");
        Queue<String> parleyBins = binaries(onParley);
        Queue<String> nodeBins = binaries(onNodeRed);

        // the two nodes count each other
        assertThat(parley.parley().serverCount().get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(onNodeRed.socket().emitWithAck("serverCount").get(5, TimeUnit.SECONDS).getInt(0)).isEqualTo(2);

        // Parley to Node: rooms respected, each socket once
        parley.parley().to("red").emit("news", "from parley");
        parley.parley().emit("bin", "parley bytes".getBytes(StandardCharsets.UTF_8));
        parley.parley().emit("fence", "p");
        for (InJvmNodes.Client c : List.of(onParley, onNodeRed, onNodeBlue)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> c.received().contains("fence:p"));
        }
        assertThat(InJvmNodes.counts(onNodeRed.received())).containsEntry("news:from parley", 1);
        assertThat(InJvmNodes.counts(onNodeBlue.received())).doesNotContainKey("news:from parley");
        assertThat(nodeBins).containsExactly("parley bytes");

        // Node to Parley: a room, then a binary
        onNodeBlue.socket().emitWithAck("broadcast", "red", "news", "from node", false).get(5, TimeUnit.SECONDS);
        onNodeBlue.socket().emitWithAck("broadcast", "", "bin", "node bytes", true).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> parleyBins.contains("node bytes"));
        assertThat(InJvmNodes.counts(onParley.received())).containsEntry("news:from node", 1);
        assertThat(parleyBins).containsExactly("parley bytes", "node bytes"); // its own broadcast, then Node's

        // broadcasts with acknowledgement both ways: every socket of both nodes answers
        for (InJvmNodes.Client c : List.of(onParley, onNodeRed, onNodeBlue)) {
            c.socket().on("question", (args, reply) -> reply.accept(new Object[]{"answer " + c.socket().id()}));
        }
        List<Args> fromAll = parley.parley().timeout(Duration.ofSeconds(5)).emitWithAck("question")
                .get(10, TimeUnit.SECONDS);
        assertThat(fromAll).extracting(a -> a.getString(0)).containsExactlyInAnyOrder(
                "answer " + onParley.socket().id(), "answer " + onNodeRed.socket().id(),
                "answer " + onNodeBlue.socket().id());
        String nodeAsked = onNodeRed.socket().emitWithAck("ask").get(10, TimeUnit.SECONDS).getString(0);
        assertThat(nodeAsked.split(",")).containsExactlyInAnyOrder("answer " + onParley.socket().id(),
                "answer " + onNodeRed.socket().id(), "answer " + onNodeBlue.socket().id());

        // fetchSockets both ways
        List<RemoteSocket> all = parley.parley().fetchSockets().get(10, TimeUnit.SECONDS);
        assertThat(all).extracting(RemoteSocket::id).containsExactlyInAnyOrder(onParley.socket().id(),
                onNodeRed.socket().id(), onNodeBlue.socket().id());
        RemoteSocket blue = all.stream().filter(s -> s.id().equals(onNodeBlue.socket().id())).findFirst()
                .orElseThrow();
        assertThat(blue.rooms()).contains("blue");
        String fromNode = onNodeRed.socket().emitWithAck("fetch").get(10, TimeUnit.SECONDS).getString(0);
        assertThat(fromNode.split(",")).contains(onParley.socket().id());

        // serverSideEmit with acks both ways
        List<Args> answers = parley.parley().serverSideEmitWithAck(Duration.ofSeconds(5), "ping", 7)
                .get(10, TimeUnit.SECONDS);
        assertThat(answers).extracting(a -> a.getString(0)).containsExactly("pong from node 7");
        assertThat(onNodeRed.socket().emitWithAck("serverSideEmit", 8).get(10, TimeUnit.SECONDS).getString(0))
                .isEqualTo("pong from parley 8");
    }
}
