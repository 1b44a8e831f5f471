package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.testing.ClusterClients;
import dev.parley.testing.ClusterNodes;
import dev.parley.testing.HaProxy;
import dev.parley.testing.RedisServer;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three nodes sharing a real redis-server behind real HAProxy 2.6, sticky by the cookie HAProxy
 * inserts: clients all from 127.0.0.1 (so nothing but the cookie keeps a long-polling session on its
 * node) are spread round-robin over the nodes, stay connected over polling and over the WebSocket
 * upgrade, and every broadcast reaches each of them once; when a node dies, its clients are
 * redispatched to the others. Runs per node kind ({@link ClusterSetup#kinds()}).
 */
class HaProxyClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static Stream<Arguments> cases() {
        return ClusterSetup.kinds().flatMap(k -> Stream.of(Arguments.of(k, "polling"),
                Arguments.of(k, "polling,websocket")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void cookieStickyClientsSpreadAndReceiveEveryBroadcastOnce(ClusterNodes.Kind kind, String transports)
            throws Exception {
        String expected = transports.endsWith("websocket") ? "websocket" : "polling";
        try (RedisServer redis = RedisServer.start();
                ClusterNodes nodes = ClusterNodes.start(kind, ClusterSetup.NODES, redis.url());
                HaProxy haproxy = HaProxy.start(nodes.ports());
                ClusterClients clients = ClusterClients.start(haproxy.url(), 6,
                        new ClusterClients.Options(transports, true, true))) {
            await().atMost(WAIT).untilAsserted(() -> {
                for (int i = 0; i < clients.count(); i++) {
                    assertThat(clients.connected(i)).as("client %d connected", i).isTrue();
                    assertThat(clients.transport(i)).as("client %d transport", i).isEqualTo(expected);
                }
            });
            assertThat(haproxy.servedNodePorts()).as("nodes HAProxy handed the 6 clients to")
                    .hasSizeGreaterThan(1).isSubsetOf(nodes.ports());
            for (int from : new int[] {0, 3, 5}) {
                String payload = "haproxy-" + from;
                clients.send(from, payload);
                await().atMost(WAIT).until(() -> clients.receivers(payload) == clients.count());
                for (int i = 0; i < clients.count(); i++) {
                    assertThat(clients.copies(payload, i)).as("copies of %s at client %d", payload, i).isEqualTo(1);
                }
            }
            // without the cookie a polling request lands on another node and the session is lost:
            // every client still connected once only means HAProxy kept each one on its node
            for (int i = 0; i < clients.count(); i++) {
                assertThat(clients.connects(i)).as("connections of client %d", i).isEqualTo(1);
            }
            assertThat(clients.duplicates()).isZero();
        }
    }

    static Stream<ClusterNodes.Kind> kinds() {
        return ClusterSetup.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aKilledNodesClientsAreSentToAnotherNodeDespiteTheirCookie(ClusterNodes.Kind kind) throws Exception {
        try (RedisServer redis = RedisServer.start();
                ClusterNodes nodes = ClusterNodes.start(kind, ClusterSetup.NODES, redis.url());
                HaProxy haproxy = HaProxy.start(nodes.ports());
                ClusterClients clients = ClusterClients.start(haproxy.url(), 6,
                        new ClusterClients.Options("polling,websocket", true, true))) {
            await().atMost(WAIT).untilAsserted(() -> {
                for (int i = 0; i < clients.count(); i++) {
                    assertThat(clients.transport(i)).as("client %d transport", i).isEqualTo("websocket");
                }
            });
            assertThat(haproxy.servedNodePorts()).as("round-robin: six clients on three nodes")
                    .contains(nodes.port(0));
            nodes.kill(0);
            // the dead node's clients (two, round-robin) reconnect with a cookie naming it: HAProxy
            // retries, then redispatches them (and, once its check fails, ignores the cookie)
            await().atMost(WAIT).untilAsserted(() -> {
                int reconnected = 0;
                for (int i = 0; i < clients.count(); i++) {
                    assertThat(clients.connected(i)).as("client %d connected", i).isTrue();
                    reconnected += clients.connects(i) > 1 ? 1 : 0;
                }
                assertThat(reconnected).as("clients that reconnected after node 0 died").isPositive();
            });
            String payload = "after-node-0-died";
            clients.send(0, payload);
            await().atMost(WAIT).until(() -> clients.receivers(payload) == clients.count());
            for (int i = 0; i < clients.count(); i++) {
                assertThat(clients.copies(payload, i)).as("copies at client %d", i).isEqualTo(1);
            }
            assertThat(clients.duplicates()).isZero();
        }
    }
}
