package dev.parley.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.NodeTestRun;
import dev.parley.testing.RawUpgrade;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A logged-in container user for Parley's two transports, proven on both real containers: a WAR
 * that brings its own Jakarta Security mechanism and {@code IdentityStore} (users alice, role
 * admin, and bob, role user) makes the container log in every request carrying
 * {@code Authorization: Basic ...}, so that
 * <ul>
 * <li>an async servlet ({@code /whoami}, and {@code /whoami-ws/*} next to the WebSocket endpoint,
 * as Parley maps {@code /socket.io/*}) sees {@code getUserPrincipal()} and
 * {@code isUserInRole("admin")}, and</li>
 * <li>a WebSocket upgrade (programmatic endpoint {@code /whoami-ws/}, annotated
 * {@code /whoami-annotated}) sees {@code HandshakeRequest.getUserPrincipal()} and
 * {@code isUserInRole("admin")} in {@code Configurator.modifyHandshake};</li>
 * </ul>
 * while requests without credentials, or with wrong ones, reach both anonymously: nothing is a
 * protected resource, so the container never answers 401 by itself; the application decides.
 *
 * <p>The recipe, per container (see {@link SecureProbeWar} for the WAR):
 * <ul>
 * <li>Payara Micro 6: nothing outside the WAR. Inside it, the roles must be declared, or
 * {@code isUserInRole} is always false: {@code @DeclareRoles} on a servlet (done here),
 * {@code <security-role>} in web.xml, or {@code ServletContext.declareRoles} from a
 * {@code @WebListener} each work (the last two tried by hand).</li>
 * <li>WildFly 39: one attribute, {@code integrated-jaspi=false} on the {@code other}
 * application-security-domain of Undertow (the default one, used by a WAR that names none), set
 * here with jboss-cli in embedded mode before start, on a server base directory of this test's
 * own. With the default ({@code true}) the mechanism runs but Elytron looks the caller up in its
 * own ApplicationRealm: every valid login ends in 500 "ELY01177: Authorization failed".</li>
 * </ul>
 * Then Parley in the same WAR ({@code parley.auth=container}): the real socket.io-client (Node,
 * {@code container/secure.test.mjs}) logs in with Basic credentials on every transport mode; the
 * login becomes {@code socket.principal()}, {@code @RolesAllowed} guards a namespace and an event,
 * a client that is not logged in gets no session (raw: polling 401, WebSocket closed 1008), a
 * foreign Origin is refused on both transports, and the event-rate and namespace limits trip.
 *
 * <p>The WAR is built twice, once per mechanism: the built-in {@code @BasicAuthenticationMechanismDefinition}
 * and a hand-written {@code HttpAuthenticationMechanism}; both behave the same here. Both containers
 * run the mechanism on the WebSocket upgrade request as on any other.
 *
 * <p>Only the request's own thread is asserted: {@code isUserInRole} later (inside
 * {@code AsyncContext.start}, or on the {@code HandshakeRequest} kept until {@code onOpen}) is
 * printed, not required. WildFly still answers there; Payara answers false (the principal stays).
 * Whoever needs roles later must ask for them while the request is being handled.
 */
class SecureContainerProbeIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Who sends what, and what the container must then report. */
    private record Caller(String label, String credentials, String principal, boolean admin) {
        String authorization() {
            return credentials == null ? null
                    : "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final List<Caller> CALLERS = List.of(
            new Caller("anonymous", null, null, false),
            new Caller("alice", "alice:alice-pw", "alice", true),
            new Caller("bob", "bob:bob-pw", "bob", false),
            new Caller("wrong password", "alice:nope", null, false));

    @Test
    void payaraMicro() throws Exception {
        Path work = Path.of("target/it-secure-payara");
        Files.createDirectories(work);
        List<String> deploys = new ArrayList<>();
        for (String mechanism : SecureProbeWar.MECHANISMS) {
            deploys.add("--deploy");
            deploys.add(SecureProbeWar.build(work.resolve("secure-" + mechanism + ".war").toFile(), mechanism)
                    .getAbsolutePath());
        }
        long t0 = System.nanoTime();
        try (OwnContainer payara = OwnContainer.payaraMicro(work, deploys)) {
            for (String mechanism : SecureProbeWar.MECHANISMS) {
                awaitProbe(payara.url("/secure-" + mechanism), payara.process(), payara.log());
            }
            System.out.println("[secure payara] started and deployed in " + millisSince(t0) + " ms");
            for (String mechanism : SecureProbeWar.MECHANISMS) {
                probe("payara", mechanism, "127.0.0.1:" + payara.port() + "/secure-" + mechanism);
            }
        }
    }

    @Test
    void wildFly() throws Exception {
        Path home = ContainerScenarios.file("parley.wildflyHome").toPath();
        Path work = Path.of("target/it-secure-wildfly");
        Path base = OwnContainer.wildFlyBase(work);

        long t0 = System.nanoTime();
        Path cliLog = work.resolve("jboss-cli.log");
        ProcessBuilder cli = new ProcessBuilder("bash", home.resolve("bin/jboss-cli.sh").toString(),
                "--commands=embed-server --std-out=discard --server-config=standalone.xml,"
                        + "/subsystem=undertow/application-security-domain=other:write-attribute("
                        + "name=integrated-jaspi,value=false),stop-embedded-server")
                .redirectErrorStream(true).redirectOutput(cliLog.toFile());
        cli.environment().put("JAVA_HOME", System.getProperty("java.home"));
        cli.environment().put("JAVA_OPTS", "-Djboss.server.base.dir=" + base.toAbsolutePath());
        Process configure = cli.start();
        assertThat(configure.waitFor(120, TimeUnit.SECONDS)).as("jboss-cli finishes").isTrue();
        assertThat(configure.exitValue()).as("jboss-cli:%n%s", Files.readString(cliLog)).isZero();
        assertThat(Files.readString(base.resolve("configuration/standalone.xml")))
                .contains("<application-security-domain name=\"other\" security-domain=\"ApplicationDomain\" "
                        + "integrated-jaspi=\"false\"/>");
        System.out.println("[secure wildfly] integrated-jaspi=false set by embedded jboss-cli in " + millisSince(t0)
                + " ms");

        for (String mechanism : SecureProbeWar.MECHANISMS) {
            SecureProbeWar.build(base.resolve("deployments/secure-" + mechanism + ".war").toFile(), mechanism);
        }
        long t1 = System.nanoTime();
        try (OwnContainer wildFly = OwnContainer.wildFly(work, base)) {
            for (String mechanism : SecureProbeWar.MECHANISMS) {
                awaitProbe(wildFly.url("/secure-" + mechanism), wildFly.process(), wildFly.log());
            }
            System.out.println("[secure wildfly] started and deployed in " + millisSince(t1) + " ms (port "
                    + wildFly.port() + ")");
            for (String mechanism : SecureProbeWar.MECHANISMS) {
                probe("wildfly", mechanism, "127.0.0.1:" + wildFly.port() + "/secure-" + mechanism);
            }
        }
    }

    /**
     * Every caller against every probe resource of one deployed WAR ({@code hostAndContext}, e.g.
     * {@code 127.0.0.1:8080/secure-basic}).
     */
    private static void probe(String container, String mechanism, String hostAndContext) throws Exception {
        String http = "http://" + hostAndContext;
        String ws = "ws://" + hostAndContext;
        Map<String, String> asyncRoles = new TreeMap<>();
        Map<String, String> afterHandshake = new TreeMap<>();
        for (Caller c : CALLERS) {
            String servlet = report("servlet", c.principal(), c.admin());
            for (HttpRequest.Builder request : List.of(
                    HttpRequest.newBuilder(URI.create(http + "/whoami")).GET(),
                    HttpRequest.newBuilder(URI.create(http + "/whoami-ws/?EIO=4&transport=polling")).GET(),
                    HttpRequest.newBuilder(URI.create(http + "/whoami-ws/?EIO=4&transport=polling"))
                            .POST(HttpRequest.BodyPublishers.ofString("40")))) {
                if (c.authorization() != null) {
                    request.header("Authorization", c.authorization());
                }
                HttpRequest r = request.timeout(Duration.ofSeconds(10)).build();
                HttpResponse<String> response = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
                String what = String.format("%s/%s: %s %s %s", container, mechanism, c.label(), r.method(), r.uri());
                assertThat(response.statusCode()).as("%s: status, body %s", what, response.body()).isEqualTo(200);
                List<String> lines = response.body().lines().toList();
                assertThat(lines).as(what).hasSize(2);
                assertThat(lines.get(0)).as(what).isEqualTo(servlet);
                // Inside AsyncContext.start the principal is the same; the role is reported, not required.
                assertThat(lines.get(1)).as(what).startsWith(principal("async", c.principal()) + " admin=");
                asyncRoles.put(c.label(), lines.get(1).substring(lines.get(1).lastIndexOf('=') + 1));
            }
            for (String endpoint : List.of("/whoami-ws/", "/whoami-annotated")) {
                List<String> lines = firstMessage(URI.create(ws + endpoint), c.authorization()).lines().toList();
                String what = String.format("%s/%s: %s WebSocket %s", container, mechanism, c.label(), endpoint);
                assertThat(lines).as(what).hasSize(3);
                assertThat(lines.get(0)).as(what).isEqualTo(report("handshake", c.principal(), c.admin()));
                assertThat(lines.get(1)).as(what).isEqualTo(principal("session", c.principal()));
                // The HandshakeRequest asked again in onOpen: reported, not required (no specification promises it).
                afterHandshake.put(c.label() + " " + endpoint, lines.get(2).replace("onOpen admin=", ""));
            }
        }
        // Parley's own refusals, raw: before any session exists, with the reason.
        String handshake = http + "/socket.io/?EIO=4&transport=polling";
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(handshake)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("%s/%s anonymous polling handshake", container, mechanism).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("{\"code\":4,\"message\":\"not logged in\"}");
        HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create(handshake))
                .header("Authorization", CALLERS.get(1).authorization()).header("Origin", "https://evil.example")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).as("%s/%s foreign Origin", container, mechanism).isEqualTo(403);
        assertThat(foreign.body()).isEqualTo("{\"code\":4,\"message\":\"Origin not allowed\"}");
        // The same refusals on a WebSocket upgrade, before any 101 (Parley's filter ahead of the container's).
        URI wsUri = URI.create(ws);
        RawUpgrade.Answer anonymousUpgrade = RawUpgrade.send(wsUri.getPort(),
                wsUri.getPath() + "/socket.io/?EIO=4&transport=websocket", Map.of());
        assertThat(anonymousUpgrade.status()).as("%s/%s anonymous WebSocket upgrade", container, mechanism)
                .isEqualTo(401);
        assertThat(anonymousUpgrade.body()).isEqualTo("{\"code\":4,\"message\":\"not logged in\"}");
        RawUpgrade.Answer foreignUpgrade = RawUpgrade.send(wsUri.getPort(),
                wsUri.getPath() + "/socket.io/?EIO=4&transport=websocket",
                Map.of("Authorization", CALLERS.get(1).authorization(), "Origin", "https://evil.example"));
        assertThat(foreignUpgrade.status()).as("%s/%s foreign Origin upgrade", container, mechanism).isEqualTo(403);
        assertThat(foreignUpgrade.body()).isEqualTo("{\"code\":4,\"message\":\"Origin not allowed\"}");

        // Parley itself in the same WAR: the login becomes the socket's principal, on every transport.
        for (String mode : ContainerScenarios.MODES) {
            NodeTestRun.run(new File(System.getProperty("parley.nodeTests", "src/test/node")), "container/secure.test.mjs",
                    Map.of("PARLEY_URL", http.substring(0, http.indexOf('/', "http://".length())),
                            "PARLEY_PATH", http.substring(http.indexOf('/', "http://".length())) + "/socket.io",
                            "PARLEY_TRANSPORTS", mode), 120);
        }
        System.out.println("[secure " + container + "] " + mechanism + ": servlet, async servlet and both WebSocket "
                + "handshakes agree for " + CALLERS.stream().map(Caller::label).toList()
                + "; isUserInRole(\"admin\") inside AsyncContext.start: " + asyncRoles
                + "; HandshakeRequest.isUserInRole(\"admin\") in onOpen: " + afterHandshake);
    }

    /** Opens a WebSocket (with the Authorization header on the upgrade when given), returns its first message. */
    private static String firstMessage(URI uri, String authorization) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    first.complete(text.toString());
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                first.completeExceptionally(error);
            }
        }).get(10, TimeUnit.SECONDS);
        try {
            return first.get(10, TimeUnit.SECONDS);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
    }

    /** The probe's answer lines, as {@code dev.parley.jakarta.it.secure.WhoAmI} writes them. */
    private static String report(String where, String principal, boolean admin) {
        return principal(where, principal) + " admin=" + admin;
    }

    private static String principal(String where, String principal) {
        return where + " principal=" + principal;
    }

    /** Waits until {@code base/whoami} answers 200. */
    private static void awaitProbe(String base, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited (" + server.exitValue() + "):\n"
                        + ContainerScenarios.tail(log));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/whoami"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250); // polling a starting server: there is no event to await
        }
        throw new AssertionError(base + " not ready within 180 s:\n" + ContainerScenarios.tail(log));
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
