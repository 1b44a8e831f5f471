package dev.parley.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.admin.AdminUiScript;
import dev.parley.client.ClientOptions;
import dev.parley.demo.DemoPagesScript;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.standalone.ShutdownClients;
import dev.parley.testing.RedisServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * compression, undeploy and redeploy through the autodeploy directory, then a stop that must close every
 * session.
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
    /** Payara Micro's autodeploy directory, enabled by the preboot commands. */
    private static Path autodeploy;
    /** Where the undeploy/redeploy test deploys a copy of the team's WAR through {@link #autodeploy}. */
    private static final String REDEPLOY_APP = "/redeploy";
    /** The team's WAR once more with the Admin UI on, through its context parameters (an operator's web.xml). */
    private static final String ADMIN_UI_APP = "/adminui";
    private static final String ADMIN_UI_WEB_XML = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>parley.admin-ui</param-name><param-value>true</param-value></context-param>
              <context-param><param-name>parley.admin-ui-auth</param-name><param-value>basic</param-value></context-param>
              <context-param><param-name>parley.admin-ui-username</param-name><param-value>%s</param-value></context-param>
              <context-param><param-name>parley.admin-ui-password-hash</param-name><param-value>%s</param-value></context-param>
            </web-app>
            """.formatted(AdminUiScript.USERNAME, AdminUiScript.PASSWORD_HASH);

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
        File compressed = ContainerScenarios.war(new File(work, "compressed.war"),
                ContainerScenarios.COMPRESSION_PACKAGE, ContainerScenarios.COMPRESSION_WEB_XML);
        File adminUi = ContainerScenarios.withWebXml(ContainerScenarios.ordersAppWar(), new File(work, "adminui.war"),
                ADMIN_UI_WEB_XML);
        autodeploy = work.toPath().resolve("autodeploy").toAbsolutePath();
        if (Files.exists(autodeploy)) { // an earlier run's WAR and Payara's status markers
            try (java.util.stream.Stream<Path> old = Files.walk(autodeploy)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(autodeploy);
        // Payara Micro has no admin listener or CLI: its autodeploy directory (off by default) is what can
        // undeploy and redeploy an application while it runs; polled every second
        String dasConfig = "set configs.config.server-config.admin-service.das-config.";
        Path pre = OwnContainer.payaraPreBoot(work.toPath(), dasConfig + "autodeploy-enabled=true",
                dasConfig + "autodeploy-dir=" + autodeploy, dasConfig + "autodeploy-polling-interval-in-seconds=1");
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
                "--deploy", compressed.getAbsolutePath(), "--deploy", adminUi.getAbsolutePath(),
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

    /**
     * Payara Micro has MicroProfile Health: its {@code /health/ready} and {@code /health/live} list the
     * {@code parley} check of each application that carries Parley (ParleyReadinessCheck,
     * ParleyLivenessCheck), UP; and Parley's own endpoints answer under each application.
     */
    @Test
    @Order(1)
    void microProfileHealthListsParleysChecksAndParleysOwnEndpointsAnswer() throws Exception {
        for (String probe : List.of("ready", "live")) {
            ContainerScenarios.JsonAnswer mp = ContainerScenarios.getJson("http://127.0.0.1:" + port + "/health/" + probe);
            System.out.println("[payara] /health/" + probe + ": " + mp.body());
            List<jakarta.json.JsonObject> parley = mp.body().getJsonArray("checks").getValuesAs(jakarta.json.JsonObject.class)
                    .stream().filter(c -> c.getString("name").equals("parley")).toList();
            assertThat(parley).as(mp.body().toString()).isNotEmpty();
            assertThat(parley).allSatisfy(c -> assertThat(c.getString("status")).isEqualTo("UP"));
            assertThat(parley.stream().map(c -> c.getJsonObject("data").toString()))
                    .anySatisfy(d -> assertThat(d).contains("\"parley.state\":\"running\""));
        }
        ContainerScenarios.JsonAnswer ready = ContainerScenarios.getJson("http://127.0.0.1:" + port + "/health/ready");
        assertThat(ready.body().getJsonArray("checks").getValuesAs(jakarta.json.JsonObject.class).stream()
                .map(c -> c.getJsonObject("data").toString()))
                .anySatisfy(d -> assertThat(d).contains("\"parley-adapter.adapter\":\"redis\"")
                        .contains("\"parley-adapter.state\":\"connected\""));
        ContainerScenarios.parleysHealthEndpointsAnswer("127.0.0.1", port, ContainerScenarios.ORDERS_APP, "memory");
        ContainerScenarios.parleysHealthEndpointsAnswer("127.0.0.1", port, "/redis", "redis");
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

    /**
     * The demo pages of the WAR in Chromium, as DemoBrowserIT runs them on the standalone jar, restart included:
     * chat over WebSocket and polling, rooms, both widths, the dashboard's charts; then, with the pages open, Payara
     * Micro is stopped (SIGTERM) and started again on the same port with the same WAR, and the pages show the banner
     * and chat on. On a Payara Micro of their own with only the demo WAR ({@link DemoPayara}), since the shared one
     * serves the other tests. Screenshots in {@code target/screenshots/payara/}.
     */
    @Test
    @Order(2)
    void theDemoWarPagesWorkInChromiumAndCarryOnAfterARestart() throws Exception {
        try (DemoPayara demo = new DemoPayara()) {
            long t0 = System.nanoTime();
            demo.start();
            System.out.println("[payara-demo] started in " + Duration.ofNanos(System.nanoTime() - t0).toMillis()
                    + " ms");
            JsonObject result = DemoPagesScript.run(demo.url(), new File("target/screenshots/payara"), demo);
            assertThat(result.getJsonArray("checks").getValuesAs(JsonString::getString)).contains(
                    "two pages chat over websocket", "a polling page chats with a websocket page",
                    "rooms: presence list, history on entering", "chat fits 390 px",
                    "rooms: joins, leaves and messages stay in their room",
                    "a page that switches rooms sees the new room's presence and history",
                    "dashboard draws its charts", "banner on restart, then chats on");
            assertThat(result.getJsonArray("screenshots").getValuesAs(JsonString::getString))
                    .allSatisfy(p -> assertThat(new File(p)).isFile().isNotEmpty()).hasSize(5);
            assertThat(demo.starts()).isEqualTo(2);
        }
    }

    /**
     * The official Admin UI served by a WAR (the team's, with the Admin UI switched on by context parameters;
     * {@code ParleyInitializer} mounts its servlet under the context root) in Chromium, as AdminUiBrowserIT
     * runs it on the standalone jar: the form's path option set to the WAR's Socket.IO path, it logs in, lists
     * the script's sockets and room (joined with the team's {@code join} event), and its disconnect button
     * disconnects one. Screenshots in {@code target/screenshots/admin-ui/payara/}.
     */
    @Test
    @Order(2)
    void theAdminUiServedByTheWarLogsInAndDisconnectsASocket() throws Exception {
        String url = "http://127.0.0.1:" + port;
        ContainerScenarios.awaitReady(url + ADMIN_UI_APP, server, Duration.ofSeconds(60), log);
        AdminUiScript.run(url, ADMIN_UI_APP + "/socket.io", url + ADMIN_UI_APP + "/admin-ui/", "join",
                new File("target/screenshots/admin-ui/payara"));
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

    /**
     * {@code per-message-deflate} on in a WAR on Payara: Parley's own Tyrus extension is installed on the
     * endpoint (Payara's Tyrus is visible to the application), a raw upgrade offering permessage-deflate
     * gets Parley's answer, and socket.io-client gets large messages compressed on WebSocket and gzipped
     * polling responses.
     */
    @Test
    @Order(3)
    void compressionOnWebSocketAndPollingWithTheRealClient() throws Exception {
        ContainerScenarios.assertWritesThrough(log, ContainerScenarios.COMPRESSION_APP, ContainerScenarios.TYRUS_WRITES);
        assertThat(ContainerScenarios.negotiatedExtensions(port, ContainerScenarios.COMPRESSION_APP))
                .isEqualTo(ContainerScenarios.PARLEY_DEFLATE);
        assertThat(ContainerScenarios.negotiatedExtensions(port, ContainerScenarios.ORDERS_APP))
                .as("per-message-deflate off (the default)").isNull();
        assertThat(Files.readString(log)).doesNotContain(ContainerScenarios.DEFLATE_WARNING);
        System.out.println("[payara] " + ContainerScenarios.pollingResponsesAreGzipped("127.0.0.1", port,
                ContainerScenarios.COMPRESSION_APP));
        ContainerScenarios.runCompressionScenarios("127.0.0.1", port, "on");
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

    /**
     * Undeploy and redeploy on the running Payara Micro, twice, through its autodeploy directory: a copy of
     * the team's WAR ({@code redeploy.war}, at {@link #REDEPLOY_APP}) is dropped in, then its file removed
     * (Payara undeploys it) and dropped in again. socket.io-client on each transport and Parley's Java client
     * see each undeploy as a closed transport (never {@code "io server disconnect"}, which is final) and come
     * back to the redeployed application by themselves; after each undeploy the Parley threads are exactly
     * those before the first deployment (its timer and frame writer ended), after each redeploy one of each
     * more, and the process's thread total does not grow from one redeploy to the next.
     */
    @Test
    @Order(4)
    void undeployClosesSessionsAndRedeployLeavesNoThreads() throws Exception {
        List<String> before = ContainerScenarios.parleyThreads(server.pid());
        autodeploy(true);
        assertThat(ContainerScenarios.parleyThreads(server.pid())).as("after the first deployment")
                .containsExactlyInAnyOrderElementsOf(plusOneApplication(before));
        String url = "http://127.0.0.1:" + port;
        List<ShutdownClients> nodeClients = List.of(ShutdownClients.start(url, REDEPLOY_APP + "/socket.io/", 2,
                "websocket"), ShutdownClients.start(url, REDEPLOY_APP + "/socket.io/", 2, "polling"));
        List<List<String>> totals = new ArrayList<>(); // the threads' names after each redeploy
        try {
            for (ShutdownClients c : nodeClients) {
                await().atMost(Duration.ofSeconds(30)).until(() -> c.connects(0) >= 1 && c.connects(1) >= 1);
            }
            for (int round = 1; round <= 2; round++) {
                try (ParleyClient client = ParleyClient.connect(URI.create(url),
                        ClientOptions.defaults().path(REDEPLOY_APP + "/socket.io/"))) {
                    ClientSocket socket = client.socket("/", null);
                    socket.connected().get(10, TimeUnit.SECONDS);
                    CompletableFuture<String> reason = new CompletableFuture<>();
                    socket.onDisconnect(reason::complete);
                    long stopLines = ContainerScenarios.stopLines(log);
                    autodeploy(false);
                    assertThat(reason.get(30, TimeUnit.SECONDS)).as("round %d", round).isEqualTo("transport close");
                    // the undeploy's lifecycle line, in the container's log
                    await().atMost(Duration.ofSeconds(30)).until(() -> ContainerScenarios.stopLines(log) == stopLines + 1);
                }
                int r = round;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        ContainerScenarios.parleyThreads(server.pid())).as("after undeploy %d", r)
                        .containsExactlyInAnyOrderElementsOf(before));
                autodeploy(true);
                assertThat(ContainerScenarios.parleyThreads(server.pid())).as("after redeploy %d", round)
                        .containsExactlyInAnyOrderElementsOf(plusOneApplication(before));
                // Payara's own executor pool grows on demand and its domain.xml writer comes and goes with the
                // autodeploy: neither is per deployment, so they are left out of the comparison
                totals.add(ContainerScenarios.threadNames(server.pid()).stream()
                        .filter(n -> !n.matches("Executor-Service-\\d+") && !n.equals("GF Domain XML")).toList());
                for (ShutdownClients c : nodeClients) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> c.connects(0) > r && c.connects(1) > r);
                }
            }
            for (ShutdownClients c : nodeClients) {
                System.out.println("[payara] socket.io-client across the undeploys: " + c.lines("DISCONNECTED"));
                assertThat(c.lines("DISCONNECTED")).hasSizeGreaterThanOrEqualTo(4)
                        .allMatch(l -> l.endsWith(" transport_close true") || l.endsWith(" transport_error true"));
                assertThat(c.lines()).noneMatch(l -> l.contains("io_server_disconnect"));
            }
        } finally {
            for (ShutdownClients c : nodeClients) {
                c.close();
            }
        }
        List<String> added = new ArrayList<>(totals.get(1));
        totals.get(0).forEach(added::remove);
        System.out.println("[payara] threads after redeploy 1 and 2: " + totals.get(0).size() + ", "
                + totals.get(1).size() + "; new in 2: " + added);
        // a leak would add Parley's threads (or a pool) per deployment; allow the container's own jitter
        assertThat(totals.get(1).size()).as("threads new after redeploy 2: %s", added)
                .isLessThanOrEqualTo(totals.get(0).size() + 3);
    }

    /** The Parley threads of {@code before} plus one application's: its timer and its frame writer. */
    private static List<String> plusOneApplication(List<String> before) {
        List<String> expected = new ArrayList<>(before);
        expected.add("parley-timer");
        expected.add("parley-ws-writer");
        return expected;
    }

    /**
     * Drops the copy of the team's WAR into the autodeploy directory and waits until it answers
     * ({@code deploy}), or removes it and waits until its handshake gets 404.
     */
    private static void autodeploy(boolean deploy) throws Exception {
        Path war = autodeploy.resolve("redeploy.war");
        String handshake = "http://127.0.0.1:" + port + REDEPLOY_APP + "/socket.io/?EIO=4&transport=polling";
        if (deploy) {
            // whole or not at all: a file still being written would be deployed half-copied
            Path staged = autodeploy.resolveSibling("redeploy.war");
            Files.copy(ContainerScenarios.ordersAppWar().toPath(), staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, war, StandardCopyOption.ATOMIC_MOVE);
            ContainerScenarios.awaitReady("http://127.0.0.1:" + port + REDEPLOY_APP, server, Duration.ofSeconds(60),
                    log);
        } else {
            Files.delete(war);
            await().atMost(Duration.ofSeconds(60)).until(() -> ContainerScenarios.status(handshake) == 404);
        }
    }

    @Test
    @Order(5)
    void stoppingTheServerClosesEverySessionAndItsThreads() throws Exception {
        // ten applications started (orders-app, the demo, limited, portable, redis, flood, flood-portable,
        // compressed, adminui, redeploy), one parley-timer each, and a frame writer each but the portable ones'; the redis
        // one's adapter thread: nothing per connection
        assertThat(ContainerScenarios.parleyThreads(server.pid()))
                .allMatch(n -> n.equals("parley-timer") || n.equals("parley-ws-writer")
                        || n.startsWith("parley-redis-adapter-"))
                .filteredOn("parley-timer"::equals).hasSize(10);
        assertThat(ContainerScenarios.parleyThreads(server.pid())).filteredOn("parley-ws-writer"::equals).hasSize(8);
        assertThat(ContainerScenarios.parleyThreads(server.pid())).filteredOn(n -> n.startsWith("parley-redis-"))
                .hasSize(1);
        long stopLines = ContainerScenarios.stopLines(log);
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
        // each application's stop line, though the JDK's own shutdown hook resets JUL meanwhile (ShutdownLog)
        assertThat(ContainerScenarios.stopLines(log)).as("'Parley stopped' lines after SIGTERM, see %s", log)
                .isEqualTo(stopLines + 10);
    }
}
