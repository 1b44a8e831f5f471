package dev.parley.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.standalone.ShutdownClients;
import dev.parley.testing.RedisServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real WildFly 39 (Undertow inside: only the portable APIs work), bound to 127.0.0.1 with a port
 * offset: the same WARs and scenarios as on Payara, then undeploy and redeploy twice through the
 * deployment scanner, checking that the undeploy closed the sessions and left no Parley thread.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyIT {

    private static Process server;
    private static int offset;
    private static int port;
    private static Path deployments;
    private static Path log;
    /** The body timeout of both applications, short for the slow-POST case (see PayaraMicroIT). */
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(2000);
    /** The Redis the "redis" WAR (orders-app with parley.adapter=redis) and a standalone node share. */
    private static RedisServer redis;
    private static Path home;
    /** The configuration file the server runs on, a copy of standalone.xml made at each start. */
    private static final String SERVER_CONFIG = "standalone-parley-it.xml";

    @BeforeAll
    static void start() throws Exception {
        File home = ContainerScenarios.file("parley.wildflyHome");
        deployments = home.toPath().resolve("standalone/deployments");
        try (Stream<Path> old = Files.list(deployments)) {
            for (Path p : old.filter(p -> p.getFileName().toString().contains(".war")).toList()) {
                Files.delete(p);
            }
        }
        File work = new File("target/it-wildfly");
        work.mkdirs();
        Files.copy(ContainerScenarios.ordersAppWar().toPath(), deployments.resolve("orders-app.war"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(ContainerScenarios.file("parley.demoWar").toPath(), deployments.resolve("parley.war"),
                StandardCopyOption.REPLACE_EXISTING);
        offset = OwnContainer.freeOffset(10000);
        port = 8080 + offset;
        log = work.toPath().resolve("wildfly.log");
        WildFlyIT.home = home.toPath();
        // A configuration file of this run's own, fresh from the distribution's: the test that turns on
        // Undertow's permessage-deflate changes it, and no later run may start with that change.
        Path configuration = home.toPath().resolve("standalone/configuration");
        Files.copy(configuration.resolve("standalone.xml"), configuration.resolve(SERVER_CONFIG),
                StandardCopyOption.REPLACE_EXISTING);
        File script = home.toPath().resolve("bin/standalone.sh").toFile();
        script.setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("bash", script.getAbsolutePath(), "-b", "127.0.0.1",
                "--server-config=" + SERVER_CONFIG,
                "-bmanagement", "127.0.0.1", "-Djboss.socket.binding.port-offset=" + offset,
                "-Dparley.http-body-timeout=" + BODY_TIMEOUT.toMillis())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long t0 = System.nanoTime();
        server = pb.start();
        ContainerScenarios.awaitReady("http://127.0.0.1:" + port + ContainerScenarios.ORDERS_APP, server, Duration.ofSeconds(180), log);
        ContainerScenarios.awaitReady("http://127.0.0.1:" + port + "/parley", server, Duration.ofSeconds(60), log);
        System.out.println("[wildfly] started and deployed in " + Duration.ofNanos(System.nanoTime() - t0).toMillis()
                + " ms (port offset " + offset + ")");
    }

    /**
     * WildFly's default standalone.xml has no MicroProfile Health: the WARs, which carry Parley's
     * MicroProfile checks, deploy all the same (beans.xml leaves the two beans out, and nothing is logged
     * about them) and Parley's own endpoints answer.
     */
    @Test
    @Order(1)
    void withoutMicroProfileTheWarsDeployAndParleysOwnHealthEndpointsAnswer() throws Exception {
        ContainerScenarios.parleysHealthEndpointsAnswer("127.0.0.1", port, ContainerScenarios.ORDERS_APP, "memory");
        ContainerScenarios.parleysHealthEndpointsAnswer("127.0.0.1", port, "/parley", "memory");
        // beans.xml excludes the checks when MicroProfile Health is missing, before CDI tries to load them
        // (loading them deploys too, but logs a WARN with a stack trace per class and application)
        assertThat(Files.readAllLines(log)).noneMatch(l -> l.contains("dev.parley.jakarta.ParleyReadinessCheck")
                || l.contains("dev.parley.jakarta.ParleyLivenessCheck"));
    }

    /**
     * Deployed for this test alone through the deployment scanner, then undeployed: the adapter's threads
     * (Parley's and Lettuce's) end with it.
     */
    @Test
    @Order(2)
    void theTeamsWarWithTheRedisAdapterSharesRoomsWithAStandaloneNode() throws Exception {
        redis = RedisServer.start();
        File war = RedisWarScenario.redisWar(ContainerScenarios.ordersAppWar(), new File("target/it-wildfly/redis.war"),
                redis.url());
        Files.deleteIfExists(deployments.resolve("redis.war.deployed"));
        Files.copy(war.toPath(), deployments.resolve("redis.war"), StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(deployments.resolve("redis.war.deployed"))
                || Files.exists(deployments.resolve("redis.war.failed")));
        assertThat(deployments.resolve("redis.war.deployed")).as("redis.war deployed (see %s)", log).exists();
        ContainerScenarios.awaitReady("http://127.0.0.1:" + port + "/redis", server, Duration.ofSeconds(60), log);
        try {
            System.out.println("[wildfly] " + RedisWarScenario.sharesRoomsWithAStandaloneNode("127.0.0.1", port,
                    "/redis", redis.url()));
            assertThat(parleyThreads()).filteredOn(n -> n.startsWith("parley-redis-")).hasSize(1);
        } finally {
            redeployStep("redis.war.deployed", "redis.war.undeployed", true);
            Files.deleteIfExists(deployments.resolve("redis.war"));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ContainerScenarios.threadNames(javaPid()))
                .as("threads after the redis WAR's undeploy")
                .noneMatch(n -> n.startsWith("parley-redis-") || n.startsWith("lettuce-")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
        }
    }

    private static long javaPid() {
        return server.descendants().filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst().map(ProcessHandle::pid).orElseThrow(() -> new AssertionError("no WildFly java process"));
    }

    private static List<String> parleyThreads() throws Exception {
        return ContainerScenarios.parleyThreads(javaPid());
    }

    private static int threadCount() throws Exception {
        return ContainerScenarios.threadNames(javaPid()).size();
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
    @Order(2)
    void theDemoWarChats() throws Exception {
        ContainerScenarios.runScenarios("demo.test.mjs", "127.0.0.1", port, "/parley");
    }

    @Test
    @Order(2)
    void aRefusedWebSocketUpgradeGetsItsHttpStatusBeforeAny101() throws Exception {
        ContainerScenarios.upgradeRefusals(port, ContainerScenarios.ORDERS_APP);
    }

    @Test
    @Order(3)
    void aSlowPostBodyGets408WhileAnotherPollingClientIsServed() throws Exception {
        System.out.println("[wildfly] slow POST: " + ContainerScenarios.slowPostGets408WhileOthersAreServed(
                "127.0.0.1", port, ContainerScenarios.ORDERS_APP, BODY_TIMEOUT));
    }

    @Test
    @Order(3)
    void aClientLeavingMidBodyEndsItsSessionWithNothingLogged() throws Exception {
        ContainerScenarios.aClientLeavingMidBodyEndsItsSessionQuietly("127.0.0.1", port, ContainerScenarios.ORDERS_APP, log);
    }

    @Test
    @Order(4)
    void undeployClosesSessionsAndRedeployLeavesNoThreads() throws Exception {
        assertThat(parleyThreads()).containsOnly("parley-timer").hasSize(2); // two applications, one timer each
        List<Integer> totals = new ArrayList<>();
        // Round 1 also has the official socket.io-client on each transport: the undeploy must end their connections
        // so that they reconnect by themselves (not "io server disconnect", which is final), to the redeployed WAR.
        String url = "http://127.0.0.1:" + port;
        String path = ContainerScenarios.ORDERS_APP + "/socket.io/";
        List<ShutdownClients> nodeClients = List.of(ShutdownClients.start(url, path, 2, "websocket"),
                ShutdownClients.start(url, path, 2, "polling"));
        try {
            for (ShutdownClients c : nodeClients) {
                await().atMost(Duration.ofSeconds(30)).until(() -> c.lines("CONNECTED").size() == 2);
            }
            undeployAndRedeployRounds(totals);
            for (ShutdownClients c : nodeClients) {
                System.out.println("[wildfly] socket.io-client across the undeploy: " + c.lines("DISCONNECTED"));
                assertThat(c.lines("DISCONNECTED")).hasSizeGreaterThanOrEqualTo(2)
                        .allMatch(l -> l.endsWith(" transport_close true") || l.endsWith(" transport_error true"));
                assertThat(c.lines()).noneMatch(l -> l.contains("io_server_disconnect"));
                await().atMost(Duration.ofSeconds(30)).until(() -> c.connects(0) >= 2 && c.connects(1) >= 2);
            }
        } finally {
            for (ShutdownClients c : nodeClients) {
                c.close();
            }
        }
        System.out.println("[wildfly] threads after redeploy 1 and 2: " + totals);
        // a leak would add Parley's threads (or a pool) per deployment; allow the container's own jitter
        assertThat(totals.get(1)).isLessThanOrEqualTo(totals.get(0) + 3);
        ContainerScenarios.runScenarios("orders-app.test.mjs", "127.0.0.1", port, ContainerScenarios.ORDERS_APP);
    }

    /** Undeploys and redeploys the orders app twice, a Parley Java client seeing each undeploy; thread totals after each. */
    private void undeployAndRedeployRounds(List<Integer> totals) throws Exception {
        for (int round = 1; round <= 2; round++) {
            try (ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + port),
                    ClientOptions.defaults().path(ContainerScenarios.ORDERS_APP + "/socket.io/"))) {
                ClientSocket socket = client.socket("/", null);
                socket.connected().get(10, TimeUnit.SECONDS);
                CompletableFuture<String> reason = new CompletableFuture<>();
                socket.onDisconnect(reason::complete);
                long stopLines = ContainerScenarios.stopLines(log);
                redeployStep("orders-app.war.deployed", "orders-app.war.undeployed", true);
                assertThat(reason.get(30, TimeUnit.SECONDS)).as("round %d", round).isEqualTo("transport close");
                // the undeploy's lifecycle line, in the container's log
                await().atMost(Duration.ofSeconds(30)).until(() -> ContainerScenarios.stopLines(log) == stopLines + 1);
            }
            assertThat(parleyThreads()).as("after undeploy %d only the demo's timer remains", round).hasSize(1);
            redeployStep("orders-app.war.dodeploy", "orders-app.war.deployed", false);
            ContainerScenarios.awaitReady("http://127.0.0.1:" + port + ContainerScenarios.ORDERS_APP, server, Duration.ofSeconds(60), log);
            assertThat(parleyThreads()).as("after redeploy %d", round).hasSize(2);
            totals.add(threadCount());
        }
    }

    @Test
    @Order(5)
    void theTeamsWarServesEveryScenarioWithFramesThroughUndertowOrThePortableApi() throws Exception {
        ContainerScenarios.assertWritesThrough(log, ContainerScenarios.ORDERS_APP, ContainerScenarios.UNDERTOW_WRITES);
        File work = new File("target/it-wildfly");
        ContainerScenarios.withWebXml(ContainerScenarios.ordersAppWar(), new File(work, "portable.war"),
                ContainerScenarios.PORTABLE_WRITES);
        Files.copy(work.toPath().resolve("portable.war"), deployments.resolve("portable.war"),
                StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(deployments.resolve("portable.war.deployed")));
        ContainerScenarios.assertWritesThrough(log, ContainerScenarios.PORTABLE_APP, ContainerScenarios.PORTABLE);
        ContainerScenarios.runScenarios("orders-app.test.mjs", "127.0.0.1", port, ContainerScenarios.PORTABLE_APP);
    }

    @Test
    @Order(5)
    void aHandshakeFloodOnWebSocketGets429BeforeAny101() throws Exception {
        File work = new File("target/it-wildfly");
        ContainerScenarios.withWebXml(ContainerScenarios.ordersAppWar(), new File(work, "limited.war"),
                ContainerScenarios.ONE_HANDSHAKE_PER_SECOND);
        Files.copy(work.toPath().resolve("limited.war"), deployments.resolve("limited.war"),
                StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(deployments.resolve("limited.war.deployed")));
        ContainerScenarios.rateLimitedUpgradeGets429(port);
    }

    @Test
    @Order(5)
    void wrongNamespacesAndInvalidSettingsFailTheDeploymentWithAClearMessage() throws Exception {
        File work = new File("target/it-wildfly");
        ContainerScenarios.war(new File(work, "broken.war"), "dev/parley/jakarta/it/broken", null);
        Files.copy(work.toPath().resolve("broken.war"), deployments.resolve("broken.war"),
                StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(deployments.resolve("broken.war.failed")));
        assertThat(Files.readString(deployments.resolve("broken.war.failed"))).contains(
                "@OnConnect method dev.parley.jakarta.it.broken.BrokenNamespace.hello must return void");

        ContainerScenarios.withWebXml(ContainerScenarios.ordersAppWar(), new File(work, "misconfigured.war"),
                ContainerScenarios.INVALID_PING_INTERVAL);
        Files.copy(work.toPath().resolve("misconfigured.war"), deployments.resolve("misconfigured.war"),
                StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(deployments.resolve("misconfigured.war.failed")));
        assertThat(Files.readString(deployments.resolve("misconfigured.war.failed")))
                .contains("context parameter parley.ping-interval='soon': must be a whole number");
        // the applications already deployed are untouched
        ContainerScenarios.runScenarios("demo.test.mjs", "127.0.0.1", port, "/parley");
    }

    @Test
    @Order(5)
    void aClientThatStopsReadingIsDroppedOnUndertowsChannel() throws Exception {
        File work = new File("target/it-wildfly");
        ContainerScenarios.war(new File(work, "flood.war"), ContainerScenarios.FLOOD_PACKAGE,
                ContainerScenarios.FLOOD_WEB_XML);
        Files.copy(work.toPath().resolve("flood.war"), deployments.resolve("flood.war"),
                StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(deployments.resolve("flood.war.deployed")));
        ContainerScenarios.assertWritesThrough(log, ContainerScenarios.FLOOD_APP, ContainerScenarios.UNDERTOW_WRITES);
        System.out.println("[wildfly] flood, native: " + ContainerScenarios.aClientThatStopsReadingIsDropped(
                "127.0.0.1", port, ContainerScenarios.FLOOD_APP));
        System.out.println("[wildfly] packet bound, native: " + ContainerScenarios
                .volatilePacketsAreDroppedFirstThenTheSlowConsumerIsClosed("127.0.0.1", port, ContainerScenarios.FLOOD_APP));
    }

    @Test
    @Order(5)
    void aClientThatStopsReadingIsDroppedByThePortableQueue() throws Exception {
        File work = new File("target/it-wildfly");
        ContainerScenarios.war(new File(work, "flood-portable.war"), ContainerScenarios.FLOOD_PACKAGE,
                ContainerScenarios.FLOOD_PORTABLE_WEB_XML);
        Files.copy(work.toPath().resolve("flood-portable.war"), deployments.resolve("flood-portable.war"),
                StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(deployments.resolve("flood-portable.war.deployed")));
        ContainerScenarios.assertWritesThrough(log, ContainerScenarios.FLOOD_PORTABLE_APP, ContainerScenarios.PORTABLE);
        System.out.println("[wildfly] flood, portable: "
                + ContainerScenarios.aClientThatStopsReadingIsDroppedByThePortableQueue("127.0.0.1", port));
        System.out.println("[wildfly] packet bound, portable: " + ContainerScenarios
                .volatilePacketsAreDroppedFirstThenTheSlowConsumerIsClosed("127.0.0.1", port,
                        ContainerScenarios.FLOOD_PORTABLE_APP));
    }

    /**
     * {@code per-message-deflate} on in a WAR on WildFly: Parley cannot add the extension through the
     * portable API and says so in one WARNING; Undertow, in WildFly's default configuration (its
     * websockets {@code per-message-deflate} false), negotiates none, so a raw upgrade offering it gets no
     * {@code Sec-WebSocket-Extensions} and socket.io-client gets every WebSocket message whole; polling
     * responses are gzipped by Parley's servlet as anywhere.
     */
    @Test
    @Order(5)
    void compressionOnWebSocketAndPollingWithTheRealClient() throws Exception {
        File work = new File("target/it-wildfly");
        ContainerScenarios.war(new File(work, "compressed.war"), ContainerScenarios.COMPRESSION_PACKAGE,
                ContainerScenarios.COMPRESSION_WEB_XML);
        Files.copy(work.toPath().resolve("compressed.war"), deployments.resolve("compressed.war"),
                StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(deployments.resolve("compressed.war.deployed")));
        ContainerScenarios.awaitReady("http://127.0.0.1:" + port + ContainerScenarios.COMPRESSION_APP, server,
                Duration.ofSeconds(60), log);
        assertThat(Files.readString(log)).contains(ContainerScenarios.DEFLATE_WARNING);
        assertThat(ContainerScenarios.negotiatedExtensions(port, ContainerScenarios.COMPRESSION_APP)).isNull();
        System.out.println("[wildfly] " + ContainerScenarios.pollingResponsesAreGzipped("127.0.0.1", port,
                ContainerScenarios.COMPRESSION_APP));
        ContainerScenarios.runCompressionScenarios("127.0.0.1", port, "off");
    }

    /**
     * Undertow's own permessage-deflate (the undertow subsystem's websockets {@code per-message-deflate},
     * set through jboss-cli, then a reload) does not reach Parley's endpoint: Undertow negotiates, for an
     * endpoint added by configuration, only the extensions that configuration lists, and Parley lists none
     * where it cannot add its own. So even the application with {@code per-message-deflate} on negotiates
     * nothing and every message goes whole, as in the default configuration. Last: it reloads the server.
     */
    @Test
    @Order(6)
    void undertowsOwnPerMessageDeflateDoesNotReachParleysEndpoint() throws Exception {
        jbossCli("/subsystem=undertow/servlet-container=default/setting=websockets:write-attribute("
                + "name=per-message-deflate,value=true)");
        long warnings = warnings();
        // the operation, not the CLI's `reload` command, which gives up waiting for the server after 6 s
        jbossCli(":reload");
        // the reloaded application logs its warning again once started
        await().atMost(Duration.ofSeconds(120)).until(() -> warnings() > warnings);
        ContainerScenarios.awaitReady("http://127.0.0.1:" + port + ContainerScenarios.COMPRESSION_APP, server,
                Duration.ofSeconds(60), log);
        assertThat(Files.readString(home.resolve("standalone/configuration/" + SERVER_CONFIG)))
                .contains("<websockets per-message-deflate=\"true\"/>");
        assertThat(ContainerScenarios.negotiatedExtensions(port, ContainerScenarios.COMPRESSION_APP)).isNull();
        ContainerScenarios.runCompressionScenarios("127.0.0.1", port, "off");
    }

    /** How many times the log says that Parley cannot add permessage-deflate. */
    private static long warnings() throws IOException {
        return Files.readString(log).lines().filter(l -> l.contains(ContainerScenarios.DEFLATE_WARNING)).count();
    }

    /** Runs one jboss-cli command against the running server's management port; it must succeed. */
    private static void jbossCli(String command) throws Exception {
        Path cliLog = Path.of("target/it-wildfly/jboss-cli.log");
        ProcessBuilder cli = new ProcessBuilder("bash", home.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + (9990 + offset), "--command=" + command)
                .redirectErrorStream(true).redirectOutput(cliLog.toFile());
        cli.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = cli.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("jboss-cli %s finishes", command).isTrue();
        assertThat(p.exitValue()).as("jboss-cli %s:%n%s", command, Files.readString(cliLog)).isZero();
    }

    /** Deletes ({@code delete}) or creates a scanner marker, then waits for the resulting marker. */
    private static void redeployStep(String marker, String outcome, boolean delete) throws Exception {
        Files.deleteIfExists(deployments.resolve(outcome));
        if (delete) {
            Files.delete(deployments.resolve(marker));
        } else {
            Files.writeString(deployments.resolve(marker), "");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(deployments.resolve(outcome)));
    }
}
