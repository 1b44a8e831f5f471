package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.testing.ClusterClients;
import dev.parley.testing.ClusterNodes;
import dev.parley.testing.Nginx;
import dev.parley.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three nodes sharing a real redis-server behind the real nginx (sticky by client address), driven by
 * the official socket.io-client from distinct loopback addresses: clients spread over the nodes, a
 * broadcast from any node reaches every client once, polling-only clients work, a killed node's
 * clients reconnect to another node (and the node, restarted, rejoins), broadcasts resume after Redis
 * restarts. Runs per node kind
 * ({@link ClusterSetup#kinds()}).
 */
class NginxClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Redis, the nodes, nginx in front, the clients: started in that order, closed in reverse. */
    private record Cluster(RedisServer redis, ClusterNodes nodes, Nginx nginx, ClusterClients clients)
            implements AutoCloseable {

        static Cluster start(ClusterNodes.Kind kind, int clients, ClusterClients.Options options) throws Exception {
            List<AutoCloseable> started = new ArrayList<>();
            try {
                RedisServer redis = add(started, RedisServer.start());
                ClusterNodes nodes = add(started, ClusterNodes.start(kind, ClusterSetup.NODES, redis.url()));
                Nginx nginx = add(started, Nginx.start(nodes.ports()));
                ClusterClients fleet = add(started, ClusterClients.start(nginx.url(), clients, options));
                return new Cluster(redis, nodes, nginx, fleet);
            } catch (Exception | AssertionError e) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    started.get(i).close();
                }
                throw e;
            }
        }

        private static <T extends AutoCloseable> T add(List<AutoCloseable> started, T t) {
            started.add(t);
            return t;
        }

        @Override
        public void close() throws Exception {
            try (AutoCloseable r = redis; AutoCloseable n = nodes; AutoCloseable x = nginx; AutoCloseable c = clients) {
                // closed in reverse order: clients, nginx, nodes, Redis
            }
        }

        void awaitConnected(String transport) {
            await().atMost(WAIT).untilAsserted(() -> {
                for (int i = 0; i < clients.count(); i++) {
                    assertThat(clients.connected(i)).as("client %d connected", i).isTrue();
                    assertThat(clients.transport(i)).as("client %d transport", i).isEqualTo(transport);
                }
            });
        }

        /** Which node (port) served each client address last, from nginx's access log. */
        Map<String, Integer> nodeByAddress() throws Exception {
            return nginx.upstreamByClient();
        }

        /** Client {@code from} sends {@code payload}; every client receives it, exactly once. */
        void broadcastReachesAllOnce(int from, String payload) throws Exception {
            clients.send(from, payload);
            await().atMost(WAIT).until(() -> clients.receivers(payload) == clients.count());
            for (int i = 0; i < clients.count(); i++) {
                assertThat(clients.copies(payload, i)).as("copies of %s at client %d", payload, i).isEqualTo(1);
            }
        }
    }

    static java.util.stream.Stream<ClusterNodes.Kind> kinds() {
        return ClusterSetup.kinds();
    }

    /** Waits until nginx's log names a node for every client, and returns client index → node port. */
    private static Map<Integer, Integer> nodesOfClients(Cluster c) {
        Map<Integer, Integer> byIndex = new java.util.TreeMap<>();
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Integer> byAddress = c.nodeByAddress();
            for (int i = 0; i < c.clients().count(); i++) {
                assertThat(byAddress).as("nginx's log names the node of client %d", i)
                        .containsKey(c.clients().address(i));
                byIndex.put(i, byAddress.get(c.clients().address(i)));
            }
        });
        return byIndex;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void clientsSpreadOverTheNodesAndABroadcastFromAnyNodeReachesAllOnce(ClusterNodes.Kind kind) throws Exception {
        try (Cluster c = Cluster.start(kind, 9, ClusterClients.Options.defaults())) {
            c.awaitConnected("websocket");
            Map<Integer, Integer> nodeOf = nodesOfClients(c);
            Set<Integer> used = new HashSet<>(nodeOf.values());
            assertThat(used).as("nodes serving the 9 clients (nginx hashes their addresses)").hasSizeGreaterThan(1);
            assertThat(c.nodes().ports()).containsAll(used);
            // from one client of every node that has clients: the node relays to the room over Redis
            for (int port : used) {
                int sender = nodeOf.entrySet().stream().filter(e -> e.getValue() == port).findFirst().orElseThrow()
                        .getKey();
                c.broadcastReachesAllOnce(sender, "from-node-" + port);
            }
            assertThat(c.clients().duplicates()).as("copies beyond the first, all messages").isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void pollingOnlyClientsWorkThroughNginx(ClusterNodes.Kind kind) throws Exception {
        try (Cluster c = Cluster.start(kind, 9, new ClusterClients.Options("polling", false, false))) {
            c.awaitConnected("polling");
            Map<Integer, Integer> nodeOf = nodesOfClients(c);
            assertThat(new HashSet<>(nodeOf.values())).as("nodes serving the polling clients").hasSizeGreaterThan(1);
            c.broadcastReachesAllOnce(0, "polling-1");
            c.broadcastReachesAllOnce(c.clients().count() - 1, "polling-2");
            assertThat(c.clients().duplicates()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aKilledNodesClientsReconnectThroughNginxToAnotherNode(ClusterNodes.Kind kind) throws Exception {
        try (Cluster c = Cluster.start(kind, 9, ClusterClients.Options.defaults())) {
            c.awaitConnected("websocket");
            Map<Integer, Integer> nodeOf = nodesOfClients(c);
            int dead = nodeOf.get(0);
            List<Integer> orphans = nodeOf.entrySet().stream().filter(e -> e.getValue() == dead)
                    .map(Map.Entry::getKey).toList();
            c.nodes().kill(c.nodes().ports().indexOf(dead));

            await().atMost(WAIT).untilAsserted(() -> {
                for (int i : orphans) {
                    assertThat(c.clients().connects(i)).as("connections of client %d", i).isGreaterThan(1);
                }
            });
            c.awaitConnected("websocket");
            Map<Integer, Integer> after = nodesOfClients(c);
            for (int i : orphans) {
                assertThat(after.get(i)).as("node of client %d after its node died", i).isNotEqualTo(dead);
            }
            c.broadcastReachesAllOnce(0, "after-kill-1");
            int other = after.keySet().stream().filter(i -> !orphans.contains(i)).findFirst().orElse(0);
            c.broadcastReachesAllOnce(other, "after-kill-2");
            assertThat(c.clients().duplicates()).isZero();

            // the node comes back on its port and rejoins the cluster: a client of its own (connected
            // to it directly) is heard by all nine behind nginx, and hears itself, once
            int index = c.nodes().ports().indexOf(dead);
            c.nodes().restart(index);
            assertThat(c.nodes().alive(index)).isTrue();
            try (ClusterClients direct = ClusterClients.start("http://127.0.0.1:" + dead, 1,
                    ClusterClients.Options.defaults())) {
                await().atMost(WAIT).until(() -> direct.connected(0));
                direct.send(0, "from-restarted-node");
                await().atMost(WAIT).until(() -> c.clients().receivers("from-restarted-node") == c.clients().count()
                        && direct.copies("from-restarted-node", 0) == 1);
                for (int i = 0; i < c.clients().count(); i++) {
                    assertThat(c.clients().copies("from-restarted-node", i)).isEqualTo(1);
                }
                assertThat(direct.duplicates()).isZero();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void broadcastsResumeAfterRedisRestartsMidStream(ClusterNodes.Kind kind) throws Exception {
        try (Cluster c = Cluster.start(kind, 6, ClusterClients.Options.defaults())) {
            c.awaitConnected("websocket");
            c.broadcastReachesAllOnce(0, "before");

            c.redis().stop();
            // each node keeps serving its own clients meanwhile: the sender's node still delivers to it
            c.clients().send(0, "during");
            await().atMost(WAIT).until(() -> c.clients().copies("during", 0) == 1);

            c.redis().restart();
            // a stream of messages until one reaches every client: the nodes resubscribe on their own
            AtomicInteger seq = new AtomicInteger();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (int n = 0; n < seq.get(); n++) {
                    if (c.clients().receivers("after-" + n) == c.clients().count()) {
                        return true;
                    }
                }
                c.clients().send(0, "after-" + seq.getAndIncrement());
                return false;
            });
            c.broadcastReachesAllOnce(c.clients().count() - 1, "resumed");
            assertThat(c.clients().duplicates()).as("copies beyond the first, all messages").isZero();
        }
    }

    /**
     * Issue 15's recovery across nodes: Parley nodes on the Streams adapter with connection state recovery.
     * A node stopped (SIGTERM: its server closes, its sockets leave as at a shutdown and the adapter stores
     * their sessions in Redis) while a client of another node broadcasts a stream of events; its clients
     * reconnect through nginx to another node, recover (same session, socket.io-client's {@code recovered}),
     * and every client has every event of the stream exactly once. A node killed with SIGKILL stores
     * nothing: its clients would get fresh sessions, as with Node's adapter.
     */
    @org.junit.jupiter.api.Test
    void withTheStreamsAdapterAStoppedNodesClientsRecoverOnAnotherNodeWhatTheyMissed() throws Exception {
        try (Cluster c = Cluster.start(ClusterNodes.Kind.PARLEY_STREAMS, 9, ClusterClients.Options.defaults())) {
            c.awaitConnected("websocket");
            Map<Integer, Integer> nodeOf = nodesOfClients(c);
            int stopped = nodeOf.get(0);
            List<Integer> orphans = nodeOf.entrySet().stream().filter(e -> e.getValue() == stopped)
                    .map(Map.Entry::getKey).toList();
            int sender = nodeOf.entrySet().stream().filter(e -> e.getValue() != stopped).findFirst().orElseThrow()
                    .getKey();
            c.broadcastReachesAllOnce(sender, "before");

            Thread stopper = new Thread(() -> {
                try {
                    c.nodes().stop(c.nodes().ports().indexOf(stopped));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stopping-node-" + stopped);
            stopper.start();
            int events = 0;
            int sentWhileAway = 0;
            // the stream goes on until every orphan is back (and a little after): some events are sent while
            // they are away; pacing, not synchronisation
            while (events < 200 && (events < 20 || !orphans.stream().allMatch(i -> c.clients().connects(i) > 1
                    && c.clients().connected(i)))) {
                if (orphans.stream().anyMatch(i -> !c.clients().connected(i))) {
                    sentWhileAway++;
                }
                c.clients().send(sender, "s-" + events++);
                Thread.sleep(20);
            }
            System.out.printf("[NginxClusterIT] streams: %d orphans of node %d, %d events, %d sent while some were "
                    + "away%n", orphans.size(), stopped, events, sentWhileAway);
            assertThat(sentWhileAway).as("events sent while an orphan was away (else nothing to recover)")
                    .isPositive();
            stopper.join(30_000);
            int sent = events;
            await().atMost(WAIT).untilAsserted(() -> {
                for (int n = 0; n < sent; n++) {
                    assertThat(c.clients().receivers("s-" + n)).as("clients that got s-%d", n).isEqualTo(9);
                }
            });
            for (int i : orphans) {
                assertThat(c.clients().connects(i)).as("connections of client %d", i).isGreaterThan(1);
                assertThat(c.clients().recoveries(i)).as("recovered reconnections of client %d", i).isEqualTo(1);
            }
            Map<Integer, Integer> after = nodesOfClients(c);
            for (int i : orphans) {
                assertThat(after.get(i)).as("node of client %d after its node stopped", i).isNotEqualTo(stopped);
            }
            assertThat(c.clients().duplicates()).as("copies beyond the first, all messages").isZero();
        }
    }
}
