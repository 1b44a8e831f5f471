package dev.parley.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Issue 15 in a container: the team's WAR (orders-app) deployed with {@code parley.adapter=redis} and the
 * Redis libraries in its WEB-INF/lib, as a team would ship it, sharing a real redis-server with a
 * standalone Parley node of the same application's namespace ({@code /orders}, sockets in room
 * {@code orders}): an order placed by the WAR's client reaches the standalone node's client through the
 * room, a broadcast from the standalone node reaches the WAR's client, the standalone node counts two
 * servers and fetches the WAR's socket, and moves it into a room it then broadcasts to.
 */
final class RedisWarScenario {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The jars a WAR needs for adapter=redis (lettuce-core's own dependencies included), by file-name prefix. */
    private static final List<String> REDIS_LIBRARIES = List.of("lettuce-core-", "netty-", "reactor-core-",
            "reactive-streams-", "redis-authx-", "slf4j-api-", "msgpack-core-");

    private RedisWarScenario() {
    }

    /**
     * A copy of {@code source} configured for the Redis adapter at {@code redisUrl} (context parameters in
     * WEB-INF/web.xml) with lettuce-core, its netty and reactor jars and msgpack-core added to WEB-INF/lib,
     * taken from this build's class path (the versions Parley is built with).
     */
    static File redisWar(File source, File target, String redisUrl) throws IOException {
        List<Path> libraries = new ArrayList<>();
        for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (name.endsWith(".jar") && REDIS_LIBRARIES.stream().anyMatch(name::startsWith)) {
                libraries.add(p);
            }
        }
        assertThat(libraries).as("the Redis libraries on the test class path").anyMatch(
                p -> p.getFileName().toString().startsWith("lettuce-core-")).anyMatch(
                p -> p.getFileName().toString().startsWith("msgpack-core-"));
        String webXml = """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <context-param><param-name>parley.adapter</param-name><param-value>redis</param-value></context-param>
                  <context-param><param-name>parley.redis-url</param-name><param-value>%s</param-value></context-param>
                </web-app>
                """.formatted(redisUrl);
        Set<String> written = new HashSet<>();
        try (ZipFile in = new ZipFile(source); ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(target))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write(webXml.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            written.add("WEB-INF/web.xml");
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (written.add(e.getName())) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.getInputStream(e).transferTo(zip);
                    zip.closeEntry();
                }
            }
            for (Path library : libraries) {
                if (written.add("WEB-INF/lib/" + library.getFileName())) {
                    zip.putNextEntry(new ZipEntry("WEB-INF/lib/" + library.getFileName()));
                    Files.copy(library, zip);
                    zip.closeEntry();
                }
            }
        }
        return target;
    }

    /**
     * Runs the scenario against the WAR at {@code context}, with the standalone node in its own JVM
     * ({@link OrdersNode} on the standalone jar); returns a line for the log.
     */
    static String sharesRoomsWithAStandaloneNode(String host, int port, String context, String redisUrl)
            throws Exception {
        File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        String classPath = jar.getAbsolutePath() + File.pathSeparator
                + new File(System.getProperty("parley.testClasses", "target/test-classes")).getAbsolutePath();
        Process nodeProcess = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classPath, "dev.parley.jakarta.it.OrdersNode", redisUrl).redirectErrorStream(true).start();
        java.util.concurrent.CompletableFuture<Integer> nodePort = new java.util.concurrent.CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                    nodeProcess.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[orders-node] " + line);
                    if (line.startsWith("PORT ")) {
                        nodePort.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException ignored) {
                // it ended
            }
            nodePort.completeExceptionally(new AssertionError("the orders node ended without its port"));
        }, "orders-node-output");
        pump.setDaemon(true);
        pump.start();
        List<String> atWar = new CopyOnWriteArrayList<>();
        List<String> atNode = new CopyOnWriteArrayList<>();
        try (ParleyClient warClient = ParleyClient.connect(URI.create("http://" + host + ":" + port),
                ClientOptions.defaults().path(context + "/socket.io/"));
             ParleyClient nodeClient = ParleyClient.connect(URI.create("http://127.0.0.1:"
                     + nodePort.get(60, TimeUnit.SECONDS)), ClientOptions.defaults())) {
            ClientSocket war = warClient.socket("/orders", Map.of("token", "t"),
                    s -> s.on("created", (args, reply) -> atWar.add("created " + args.get(0)))
                            .on("news", (args, reply) -> atWar.add("news " + args.getString(0))));
            ClientSocket standalone = nodeClient.socket("/orders", Map.of(),
                    s -> s.on("created", (args, reply) -> atNode.add("created " + args.get(0))));
            ClientSocket admin = nodeClient.socket("/admin", Map.of());
            war.connected().get(20, TimeUnit.SECONDS);
            standalone.connected().get(20, TimeUnit.SECONDS);
            admin.connected().get(20, TimeUnit.SECONDS);

            assertThat(admin.emitWithAck(Duration.ofSeconds(15), "count").get(20, TimeUnit.SECONDS).getInt(0))
                    .as("servers of /orders").isEqualTo(2);
            // the WAR's OrdersNamespace answers "place" and tells the rest of room "orders": across Redis
            war.emitWithAck(Duration.ofSeconds(10), "place", Map.of("item", "tea", "quantity", 2))
                    .get(15, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> atNode.stream().anyMatch(e -> e.contains("tea")));
            // and the standalone node's broadcast to the same room reaches the WAR's client
            admin.emitWithAck(Duration.ofSeconds(10), "emit", "orders", "created", "from-the-node")
                    .get(15, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> atWar.stream().anyMatch(e -> e.contains("from-the-node"))
                    && atNode.stream().anyMatch(e -> e.contains("from-the-node")));

            jakarta.json.JsonArray all = admin.emitWithAck(Duration.ofSeconds(15), "fetch").get(20, TimeUnit.SECONDS)
                    .getJsonArray(0);
            assertThat(all.stream().map(v -> v.asJsonObject().getString("id")).toList())
                    .containsExactlyInAnyOrder(war.id(), standalone.id());
            jakarta.json.JsonObject inWar = all.stream().map(jakarta.json.JsonValue::asJsonObject)
                    .filter(o -> o.getString("id").equals(war.id())).findFirst().orElseThrow();
            assertThat(inWar.getJsonArray("rooms").getValuesAs(jakarta.json.JsonString::getString)).contains("orders");
            assertThat(inWar.getString("url")).startsWith(context + "/socket.io/");
            admin.emitWithAck(Duration.ofSeconds(15), "join", war.id(), "vip").get(20, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> {
                admin.emitWithAck(Duration.ofSeconds(10), "emit", "vip", "news", "vip-only").get(15, TimeUnit.SECONDS);
                return atWar.contains("news vip-only");
            });
            assertThat(atWar.stream().filter(e -> e.contains("from-the-node")).count()).as("copies at the WAR")
                    .isEqualTo(1);
            assertThat(atNode.stream().filter(e -> e.contains("from-the-node")).count()).as("copies at the node")
                    .isEqualTo(1);
            return "WAR at " + context + " and a standalone node (own JVM) on one redis-server: 2 servers, room "
                    + "\"orders\" shared both ways, fetchSockets sees the WAR's socket, a remote join from the node";
        } finally {
            nodeProcess.getOutputStream().close();
            if (!nodeProcess.waitFor(10, TimeUnit.SECONDS)) {
                nodeProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
