package dev.parley.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.testing.RedisServer;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real Payara Micro 6 (Tyrus inside), on 127.0.0.1 with {@code --nocluster}: the team's WAR
 * (src/it/orders-app: annotated namespaces, a CDI service, POJOs, a JAX-RS push) and the demo WAR deployed as they are, the
 * socket.io-client scenarios on every transport, a slow POST body answered 408 while others are served,
 * then a stop that must close every session.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraMicroIT {

    private static Process server;
    private static int port;
    private static Path log;
    private static long startMillis;
    /**
     * The body timeout of both applications, short for the slow-POST case: passed as the system
     * property {@code parley.http-body-timeout}, as an operator would; real clients' bodies take
     * milliseconds, so the other scenarios do not notice it.
     */
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(2000);
    /** The Redis the "redis" WAR (orders-app with parley.adapter=redis) and a standalone node share. */
    private static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        File payara = ContainerScenarios.file("parley.payaraJar");
        File work = new File("target/it-payara");
        work.mkdirs();
        File ordersApp = new File(work, "orders-app.war");
        Files.copy(ContainerScenarios.ordersAppWar().toPath(), ordersApp.toPath(), StandardCopyOption.REPLACE_EXISTING);
        File demo = new File(work, "parley.war");
        Files.copy(ContainerScenarios.file("parley.demoWar").toPath(), demo.toPath(),
                StandardCopyOption.REPLACE_EXISTING);
        // An invalid setting: Payara Micro logs it "successfully deployed", then starts it, and Parley refuses.
        File misconfigured = ContainerScenarios.withWebXml(ContainerScenarios.ordersAppWar(),
                new File(work, "misconfigured.war"), ContainerScenarios.INVALID_PING_INTERVAL);
        File limited = ContainerScenarios.withWebXml(ContainerScenarios.ordersAppWar(),
                new File(work, "limited.war"), ContainerScenarios.ONE_HANDSHAKE_PER_SECOND);
        File portable = ContainerScenarios.withWebXml(ContainerScenarios.ordersAppWar(),
                new File(work, "portable.war"), ContainerScenarios.PORTABLE_WRITES);
        redis = RedisServer.start();
        File redisWar = RedisWarScenario.redisWar(ContainerScenarios.ordersAppWar(), new File(work, "redis.war"),
                redis.url());
        File flood = ContainerScenarios.war(new File(work, "flood.war"), ContainerScenarios.FLOOD_PACKAGE,
                ContainerScenarios.FLOOD_WEB_XML);
        File floodPortable = ContainerScenarios.war(new File(work, "flood-portable.war"),
                ContainerScenarios.FLOOD_PACKAGE, ContainerScenarios.FLOOD_PORTABLE_WEB_XML);
        Path pre = work.toPath().resolve("pre.txt");
        Files.writeString(pre, "set configs.config.server-config.network-config.network-listeners.network-listener."
                + "http-listener.address=127.0.0.1\n");
        port = ContainerScenarios.freePort();
        log = work.toPath().resolve("payara.log");
        long t0 = System.nanoTime();
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dparley.http-body-timeout=" + BODY_TIMEOUT.toMillis(), "-jar",
                payara.getAbsolutePath(), "--nocluster", "--port", Integer.toString(port),
                "--prebootcommandfile", pre.toString(), "--deploy", ordersApp.getAbsolutePath(), "--deploy", demo.getAbsolutePath(),
                // limited and portable before misconfigured: Payara Micro initializes the applications in this order
                // and stops at the first that fails to start
                "--deploy", limited.getAbsolutePath(), "--deploy", portable.getAbsolutePath(),
                "--deploy", redisWar.getAbsolutePath(),
                "--deploy", flood.getAbsolutePath(), "--deploy", floodPortable.getAbsolutePath(),
                "--deploy", misconfigured.getAbsolutePath())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ContainerScenarios.awaitReady("http://127.0.0.1:" + port + ContainerScenarios.ORDERS_APP, server, Duration.ofSeconds(180), log);
        ContainerScenarios.awaitReady("http://127.0.0.1:" + port + "/parley", server, Duration.ofSeconds(60), log);
        ContainerScenarios.awaitReady("http://127.0.0.1:" + port + "/redis", server, Duration.ofSeconds(60), log);
        startMillis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        System.out.println("[payara] started and deployed in " + startMillis + " ms");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Order(2)
    void theTeamsWarWithTheRedisAdapterSharesRoomsWithAStandaloneNode() throws Exception {
        System.out.println("[payara] " + RedisWarScenario.sharesRoomsWithAStandaloneNode("127.0.0.1", port, "/redis",
                redis.url()));
    }

    @Test
    @Order(1)
    void theTeamsWarServesEveryScenario() throws Exception {
        ContainerScenarios.runScenarios("orders-app.test.mjs", "127.0.0.1", port, ContainerScenarios.ORDERS_APP);
    }

    @Test
    @Order(1)
    void theTeamsPageWorksInABrowser() throws Exception {
        ContainerScenarios.runOrdersPage("127.0.0.1", port);
    }

    @Test
    @Order(1)
    void theTeamsWarServesEveryScenarioWithFramesThroughTyrusOrThePortableApi() throws Exception {
        ContainerScenarios.assertWritesThrough(log, ContainerScenarios.ORDERS_APP, ContainerScenarios.TYRUS_WRITES);
        ContainerScenarios.assertWritesThrough(log, ContainerScenarios.PORTABLE_APP, ContainerScenarios.PORTABLE);
        ContainerScenarios.runScenarios("orders-app.test.mjs", "127.0.0.1", port, ContainerScenarios.PORTABLE_APP);
    }

    @Test
    @Order(1)
    void anInvalidSettingStopsThatApplicationWithOneClearLineAndSparesTheOthers() throws Exception {
        // Payara Micro starts the applications one after another: the others may answer before this one's turn.
        String line = "Parley: application /misconfigured NOT STARTED: context parameter "
                + "parley.ping-interval='soon': must be a whole number";
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains(line));
        assertThat(ContainerScenarios.status("http://127.0.0.1:" + port + "/misconfigured/socket.io/?EIO=4&transport=polling"))
                .isEqualTo(404);
        // the other applications were started (awaitReady) and serve
        ContainerScenarios.runScenarios("demo.test.mjs", "127.0.0.1", port, "/parley");
    }

    @Test
    @Order(2)
    void theDemoWarChats() throws Exception {
        ContainerScenarios.runScenarios("demo.test.mjs", "127.0.0.1", port, "/parley");
    }

    @Test
    @Order(2)
    void aRefusedWebSocketUpgradeGetsItsHttpStatusBeforeAny101() throws Exception {
        ContainerScenarios.upgradeRefusals(port, ContainerScenarios.ORDERS_APP);
        ContainerScenarios.rateLimitedUpgradeGets429(port);
    }

    @Test
    @Order(3)
    void aClientThatStopsReadingIsDroppedOnTyrussWriter() throws Exception {
        ContainerScenarios.assertWritesThrough(log, ContainerScenarios.FLOOD_APP, ContainerScenarios.TYRUS_WRITES);
        System.out.println("[payara] flood, native: " + ContainerScenarios.aClientThatStopsReadingIsDropped("127.0.0.1",
                port, ContainerScenarios.FLOOD_APP));
        System.out.println("[payara] packet bound, native: " + ContainerScenarios
                .volatilePacketsAreDroppedFirstThenTheSlowConsumerIsClosed("127.0.0.1", port, ContainerScenarios.FLOOD_APP));
    }

    @Test
    @Order(3)
    void aClientThatStopsReadingIsDroppedByThePortableQueue() throws Exception {
        ContainerScenarios.assertWritesThrough(log, ContainerScenarios.FLOOD_PORTABLE_APP, ContainerScenarios.PORTABLE);
        System.out.println("[payara] flood, portable: "
                + ContainerScenarios.aClientThatStopsReadingIsDroppedByThePortableQueue("127.0.0.1", port));
        System.out.println("[payara] packet bound, portable: " + ContainerScenarios
                .volatilePacketsAreDroppedFirstThenTheSlowConsumerIsClosed("127.0.0.1", port,
                        ContainerScenarios.FLOOD_PORTABLE_APP));
    }

    @Test
    @Order(3)
    void aSlowPostBodyGets408WhileAnotherPollingClientIsServed() throws Exception {
        System.out.println("[payara] slow POST: " + ContainerScenarios.slowPostGets408WhileOthersAreServed("127.0.0.1",
                port, ContainerScenarios.ORDERS_APP, BODY_TIMEOUT));
    }

    @Test
    @Order(3)
    void aClientLeavingMidBodyEndsItsSessionWithNothingLogged() throws Exception {
        ContainerScenarios.aClientLeavingMidBodyEndsItsSessionQuietly("127.0.0.1", port, ContainerScenarios.ORDERS_APP, log);
    }

    @Test
    @Order(4)
    void stoppingTheServerClosesEverySessionAndItsThreads() throws Exception {
        // seven applications started (orders-app, the demo, limited, portable, redis, flood, flood-portable), one
        // parley-timer each, and a frame writer each but the portable ones'; the redis one's adapter thread:
        // nothing per connection
        assertThat(ContainerScenarios.parleyThreads(server.pid()))
                .allMatch(n -> n.equals("parley-timer") || n.equals("parley-ws-writer")
                        || n.startsWith("parley-redis-adapter-"))
                .filteredOn("parley-timer"::equals).hasSize(7);
        assertThat(ContainerScenarios.parleyThreads(server.pid())).filteredOn("parley-ws-writer"::equals).hasSize(5);
        assertThat(ContainerScenarios.parleyThreads(server.pid())).filteredOn(n -> n.startsWith("parley-redis-"))
                .hasSize(1);
        try (ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + port),
                ClientOptions.defaults().path(ContainerScenarios.ORDERS_APP + "/socket.io/"))) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(10, TimeUnit.SECONDS);
            CompletableFuture<String> reason = new CompletableFuture<>();
            socket.onDisconnect(reason::complete);
            server.destroy(); // SIGTERM: an orderly shutdown undeploys the applications
            assertThat(reason.get(30, TimeUnit.SECONDS)).isIn("io server disconnect", "transport close");
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("Payara stops").isTrue();
        }
    }
}
