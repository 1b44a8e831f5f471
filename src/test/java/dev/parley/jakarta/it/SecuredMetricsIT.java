package dev.parley.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.metrics.Scrape;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The README's recipe for protecting a WAR's metrics endpoint, on real Payara Micro 6: a WAR with
 * {@code parley.metrics=true}, Micrometer in its WEB-INF/lib, and in its web.xml a
 * {@code <security-constraint>} on {@code /parley/metrics} for the role {@code metrics} with BASIC
 * login against the container's {@code file} realm (the role mapped to the realm's group
 * {@code metrics-readers} in glassfish-web.xml); the user {@code scraper} created in that realm by a
 * post-boot {@code create-file-user}. Without credentials, or with a wrong password, the scrape is
 * answered 401 by the container (Parley's servlet never runs); with the user's, 200 and Prometheus
 * text in which {@code parley_connections} counts the polling session the test opened. Socket.IO on
 * the same WAR stays open to anyone: the constraint covers only the metrics URL.
 */
class SecuredMetricsIT {

    private static final String USER = "scraper";
    private static final String PASSWORD = "scrape-pw-17";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>parley.enabled</param-name><param-value>true</param-value></context-param>
              <context-param><param-name>parley.metrics</param-name><param-value>true</param-value></context-param>
              <security-constraint>
                <web-resource-collection>
                  <web-resource-name>Parley metrics</web-resource-name>
                  <url-pattern>/parley/metrics</url-pattern>
                </web-resource-collection>
                <auth-constraint><role-name>metrics</role-name></auth-constraint>
              </security-constraint>
              <login-config>
                <auth-method>BASIC</auth-method>
                <realm-name>file</realm-name>
              </login-config>
              <security-role><role-name>metrics</role-name></security-role>
            </web-app>
            """;

    /** Payara's mapping of the role to a group of its file realm. */
    private static final String GLASSFISH_WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE glassfish-web-app PUBLIC "-//GlassFish.org//DTD GlassFish Application Server 3.1 Servlet 3.0//EN"
              "http://glassfish.org/dtds/glassfish-web-app_3_0-1.dtd">
            <glassfish-web-app>
              <security-role-mapping>
                <role-name>metrics</role-name>
                <group-name>metrics-readers</group-name>
              </security-role-mapping>
            </glassfish-web-app>
            """;

    /**
     * One class of each jar micrometer-registry-prometheus needs at run time, as a WAR declaring it
     * would carry them (its Maven dependencies, without the annotation-only jspecify).
     */
    private static final List<String> MICROMETER = List.of(
            "io.micrometer.core.instrument.MeterRegistry",                  // micrometer-core
            "io.micrometer.common.KeyValue",                                // micrometer-commons
            "io.micrometer.observation.Observation",                        // micrometer-observation
            "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",      // micrometer-registry-prometheus
            "io.prometheus.metrics.config.ExemplarsProperties",             // prometheus-metrics-config
            "io.prometheus.metrics.core.datapoints.CounterDataPoint",       // prometheus-metrics-core
            "io.prometheus.metrics.model.registry.Collector",               // prometheus-metrics-model
            "io.prometheus.metrics.expositionformats.ExpositionFormats",    // prometheus-metrics-exposition-textformats
            "io.prometheus.metrics.expositionformats.generated.Metrics",    // prometheus-metrics-exposition-formats
            "io.prometheus.metrics.tracer.common.SpanContext",              // prometheus-metrics-tracer-common
            "org.HdrHistogram.Histogram");                                  // HdrHistogram

    static File war(File war) throws Exception {
        Set<Path> jars = new LinkedHashSet<>();
        jars.add(ContainerScenarios.file("parley.libraryJar").toPath());
        for (String name : MICROMETER) {
            jars.add(Path.of(Class.forName(name, false, SecuredMetricsIT.class.getClassLoader())
                    .getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(war))) {
            put(zip, "WEB-INF/web.xml", WEB_XML.strip());
            put(zip, "WEB-INF/glassfish-web.xml", GLASSFISH_WEB_XML.strip());
            for (Path jar : jars) {
                assertThat(jar.toString()).as("a jar, not a directory of classes").endsWith(".jar");
                zip.putNextEntry(new ZipEntry("WEB-INF/lib/" + jar.getFileName()));
                Files.copy(jar, zip);
                zip.closeEntry();
            }
        }
        return war;
    }

    private static void put(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void payaraMicroAsksForCredentialsBeforeServingMetrics() throws Exception {
        Path work = Path.of("target/it-secured-metrics-payara");
        Files.createDirectories(work);
        Path passwordFile = work.resolve("scraper-password.txt");
        Files.writeString(passwordFile, "AS_ADMIN_USERPASSWORD=" + PASSWORD + "\n");
        Path post = work.resolve("post.txt");
        Files.writeString(post, "create-file-user --authrealmname file --groups metrics-readers --passwordfile "
                + passwordFile.toAbsolutePath() + " " + USER + "\n");
        File war = war(work.resolve("metrics-secured.war").toFile());
        try (OwnContainer payara = OwnContainer.payaraMicro(work, List.of("--postbootcommandfile", post.toString(),
                "--deploy", war.getAbsolutePath()))) {
            String base = payara.url("/metrics-secured");
            ContainerScenarios.awaitReady(base, payara.process(), Duration.ofSeconds(120), payara.log());
            onlyTheUserGetsMetrics(base);
        }
    }

    /**
     * The same WAR on WildFly 39: the user made with {@code add-user.sh -a} in the application realm
     * ({@code application-users.properties}, group {@code metrics}, which WildFly's default
     * {@code ApplicationDomain} takes as the role: no mapping file), on a server base directory of
     * this test's own.
     */
    @Test
    void wildFlyAsksForCredentialsBeforeServingMetrics() throws Exception {
        Path home = ContainerScenarios.file("parley.wildflyHome").toPath();
        Path work = Path.of("target/it-secured-metrics-wildfly");
        Path base = OwnContainer.wildFlyBase(work);
        Path addUserLog = work.resolve("add-user.log");
        ProcessBuilder addUser = new ProcessBuilder("bash", home.resolve("bin/add-user.sh").toString(), "-a",
                "-u", USER, "-p", PASSWORD, "-g", "metrics", "-sc", base.resolve("configuration").toAbsolutePath()
                .toString()).redirectErrorStream(true).redirectOutput(addUserLog.toFile());
        addUser.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process added = addUser.start();
        assertThat(added.waitFor(60, TimeUnit.SECONDS)).as("add-user.sh finishes").isTrue();
        assertThat(added.exitValue()).as("add-user.sh:%n%s", Files.readString(addUserLog)).isZero();
        assertThat(Files.readString(base.resolve("configuration/application-users.properties"))).contains(USER + "=");
        war(base.resolve("deployments/metrics-secured.war").toFile());
        try (OwnContainer wildFly = OwnContainer.wildFly(work, base)) {
            String url = wildFly.url("/metrics-secured");
            ContainerScenarios.awaitReady(url, wildFly.process(), Duration.ofSeconds(120), wildFly.log());
            onlyTheUserGetsMetrics(url);
        }
    }

    /** 401 without or with wrong credentials, 200 and the meters with the user's; Socket.IO open to all. */
    private static void onlyTheUserGetsMetrics(String base) throws Exception {
        String metrics = base + "/parley/metrics";

        HttpResponse<String> anonymous = get(metrics, null);
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).startsWithIgnoringCase("Basic");
        assertThat(anonymous.body()).doesNotContain("parley_");
        HttpResponse<String> wrong = get(metrics, basic(USER, "not-the-password"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("parley_");

        // Socket.IO stays open to anyone; awaitReady's handshake and this one are polling sessions now
        HttpResponse<String> handshake = get(base + "/socket.io/?EIO=4&transport=polling", null);
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.body()).startsWith("0{\"sid\"");

        Scrape scrape = Scrape.of(URI.create(metrics), "Authorization", basic(USER, PASSWORD));
        assertThat(scrape.contentType()).startsWith("text/plain");
        assertThat(scrape.text()).contains("parley_connections{");
        assertThat(scrape.value("parley_connections", "transport", "polling")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("parley_handshakes_total", "outcome", "accepted", "reason", "none"))
                .isGreaterThanOrEqualTo(2);
    }
}
