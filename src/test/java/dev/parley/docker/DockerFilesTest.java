package dev.parley.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.Nginx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code docker/} folder without a Docker engine: the compose file as {@code docker-compose config}
 * resolves it (valid, the cluster topology of {@code cluster.NginxClusterIT}: two standalone nodes on
 * the Redis adapter, Redis, nginx in front, only nginx published and only on the host's loopback);
 * {@code docker/nginx.conf} equal to the README's nginx block and accepted by {@code nginx -t}; the
 * images on the versions the container tests run; every {@code COPY} source let into the build context
 * by {@code .dockerignore}. That the sources exist after {@code mvn package} is {@link DockerCopySourcesIT}'s.
 */
class DockerFilesTest {

    private static final List<String> NODES = List.of("parley1", "parley2");
    /** The standalone image's port ({@code Dockerfile.standalone}: {@code --port 3000}). */
    private static final int NODE_PORT = 3000;

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws Exception {
        DockerFiles.Run config = DockerFiles.compose("config");
        assertThat(config.exit()).as("docker-compose config: %s", config.stderr()).isZero();
        Map<String, Object> resolved = new Yaml().load(config.stdout());
        return (Map<String, Map<String, Object>>) resolved.get("services");
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<String, ?> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            assertThat(value).as("%s in the resolved compose file", String.join(".", keys)).isInstanceOf(Map.class);
            value = ((Map<String, ?>) value).get(key);
        }
        return (T) value;
    }

    @Test
    void theComposeFileIsValidAndRunsTheClusterTopology() throws Exception {
        Map<String, Map<String, Object>> services = services();
        assertThat(services).containsOnlyKeys("redis", "parley1", "parley2", "nginx", "payara", "wildfly");

        assertThat((String) get(services, "redis", "image")).isEqualTo("redis:7");
        assertThat((Object) get(services, "redis", "healthcheck")).as("redis's healthcheck").isNotNull();
        for (String node : NODES) {
            assertThat((String) get(services, node, "build", "context")).isEqualTo(DockerFiles.ROOT.toString());
            assertThat((String) get(services, node, "build", "dockerfile")).isEqualTo("docker/Dockerfile.standalone");
            assertThat((Map<String, Object>) get(services, node, "environment")).containsOnly(
                    Map.entry("PARLEY_ADAPTER", "redis"), Map.entry("PARLEY_REDIS_URL", "redis://redis:6379"));
            assertThat((String) get(services, node, "depends_on", "redis", "condition")).isEqualTo("service_healthy");
        }
        assertThat((String) get(services, "nginx", "image")).startsWith("nginx:");
        assertThat((List<String>) get(services, "nginx", "volumes")).containsExactly(
                DockerFiles.DIR.resolve("nginx.conf") + ":/etc/nginx/conf.d/default.conf:ro",
                DockerFiles.ROOT.resolve("webapp/index.html") + ":/etc/nginx/html/index.html:ro");
        assertThat((Map<String, Object>) get(services, "nginx", "depends_on")).containsOnlyKeys(NODES);
        for (String war : List.of("payara", "wildfly")) {
            assertThat((List<String>) get(services, war, "profiles")).as("%s's profiles", war).containsExactly("war");
            assertThat((String) get(services, war, "build", "context")).isEqualTo(DockerFiles.ROOT.toString());
            assertThat((String) get(services, war, "build", "dockerfile")).isEqualTo("docker/Dockerfile." + war);
        }
    }

    @Test
    void onlyNginxIsPublishedAndOnlyOnTheHostsLoopback() throws Exception {
        Map<String, Map<String, Object>> services = services();
        List<String> published = new ArrayList<>();
        services.forEach((name, service) -> {
            List<?> ports = (List<?>) service.get("ports");
            if (ports == null) {
                return;
            }
            for (Object port : ports) {
                assertThat(port).as("%s publishes %s", name, port).asString().startsWith("127.0.0.1:");
            }
            if (!service.containsKey("profiles")) {
                published.add(name);
            }
        });
        assertThat(published).as("services published by default").containsExactly("nginx");
        assertThat((List<String>) get(services, "nginx", "ports")).containsExactly("127.0.0.1:8080:80/tcp");
        assertThat(services.get("redis")).doesNotContainKey("ports");
        for (String node : NODES) {
            assertThat(services.get(node)).doesNotContainKey("ports");
        }
    }

    @Test
    void everyDockerfileIsBuiltByTheComposeFileFromTheRepositoryRoot() throws Exception {
        List<String> built = services().values().stream().filter(s -> s.containsKey("build"))
                .map(s -> (String) get(s, "build", "dockerfile")).distinct().sorted().toList();
        assertThat(built).isEqualTo(DockerFiles.dockerfiles().stream()
                .map(f -> DockerFiles.ROOT.relativize(f).toString()).toList());
        assertThat(built).containsExactly("docker/Dockerfile.payara", "docker/Dockerfile.standalone",
                "docker/Dockerfile.wildfly");
    }

    /** {@code docker/nginx.conf} without its leading comment lines and the blank line after them. */
    private static String nginxSite() throws IOException {
        String conf = Files.readString(DockerFiles.DIR.resolve("nginx.conf"));
        Matcher header = Pattern.compile("\\A(?:#[^\\n]*\\n)+\\n").matcher(conf);
        assertThat(header.lookingAt()).as("docker/nginx.conf begins with comment lines and a blank line").isTrue();
        return conf.substring(header.end());
    }

    @Test
    void theNginxConfigIsTheReadmeBlockWithTheComposeNodes() throws IOException {
        // the README's block is Nginx.siteConfig (ScalingOutReadmeTest): one generator for all three
        assertThat(nginxSite()).isEqualTo(Nginx.siteConfigFor("80",
                NODES.stream().map(n -> n + ":" + NODE_PORT).toList()));
        String standalone = Files.readString(DockerFiles.DIR.resolve("Dockerfile.standalone"));
        assertThat(standalone).contains("\"--port\", \"" + NODE_PORT + "\"").contains("EXPOSE " + NODE_PORT);
    }

    /**
     * nginx resolves an upstream's host names when it loads its config, and {@code parley1} resolves only
     * on the compose network (Docker's DNS). So each upstream {@code server NAME:PORT;} is checked as
     * {@code server 127.0.0.1:PORT;}: everything but the name lookup, the same block byte for byte
     * otherwise, inside an {@code http { }} as the nginx image's own nginx.conf includes it.
     */
    @Test
    void nginxAcceptsTheConfigWithTheNodesOnLoopback() throws Exception {
        String site = nginxSite();
        Matcher upstream = Pattern.compile("(?m)^(    server )([a-z0-9-]+)(:\\d+;)$").matcher(site);
        List<String> names = new ArrayList<>();
        StringBuilder onLoopback = new StringBuilder();
        while (upstream.find()) {
            names.add(upstream.group(2));
            upstream.appendReplacement(onLoopback, "$1127.0.0.1$3");
        }
        upstream.appendTail(onLoopback);
        assertThat(names).isEqualTo(NODES);
        String report = Nginx.check(onLoopback.toString());
        assertThat(report).contains("test is successful");
    }

    @Test
    void theImagesAreTheVersionsTheContainerTestsRun() throws IOException {
        String pom = Files.readString(DockerFiles.ROOT.resolve("pom.xml"));
        assertThat(from("Dockerfile.payara")).isEqualTo("payara/server-full:" + property(pom, "payara.version"));
        assertThat(from("Dockerfile.wildfly"))
                .isEqualTo("quay.io/wildfly/wildfly:" + property(pom, "wildfly.version") + "-jdk17");
        assertThat(from("Dockerfile.standalone"))
                .isEqualTo("eclipse-temurin:" + property(pom, "maven.compiler.release") + "-jre");
    }

    private static String from(String dockerfile) throws IOException {
        List<String> froms = DockerFiles.instructions(DockerFiles.DIR.resolve(dockerfile)).stream()
                .filter(i -> i.toUpperCase(Locale.ROOT).startsWith("FROM ")).toList();
        assertThat(froms).as("%s's FROM", dockerfile).hasSize(1);
        return froms.get(0).substring("FROM ".length()).strip();
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as("pom property %s", name).isTrue();
        return m.group(1).strip();
    }

    /**
     * The build context is the whole repository; {@code .dockerignore} excludes everything ({@code *})
     * and lets in each file an image copies ({@code !target/parley.war}): a new COPY source must be let
     * in too, or the build fails where no test here runs it.
     */
    @Test
    void everyCopySourceIsLetIntoTheBuildContext() throws IOException {
        List<String> ignore = Files.readAllLines(DockerFiles.ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore).first().isEqualTo("*");
        List<String> sources = new ArrayList<>();
        for (Path dockerfile : DockerFiles.dockerfiles()) {
            List<DockerFiles.Copy> copies = DockerFiles.copies(dockerfile);
            assertThat(copies).as("%s copies something", dockerfile.getFileName()).isNotEmpty();
            copies.forEach(c -> sources.addAll(c.sources()));
        }
        for (String source : sources) {
            assertThat(ignore).as("%s let in by .dockerignore", source).contains("!" + source);
        }
        assertThat(ignore.subList(1, ignore.size())).as("nothing let in that no image copies")
                .containsExactlyInAnyOrderElementsOf(sources.stream().distinct().map(s -> "!" + s).toList());
    }
}
