package dev.parley.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.socketio.Args;
import dev.parley.standalone.HandMadeWebSocket;
import dev.parley.testing.RawUpgrade;

import dev.parley.testing.NodeTestRun;
import dev.parley.testing.SlowPost;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * What the real-container tests share: the team's WAR (src/it/orders-app, built by Maven against the
 * installed dev.parley:parley artifact by the invoker plugin) and WARs of test classes, readiness
 * polling, and the socket.io-client scenarios run against a deployed application on every transport mode.
 */
final class ContainerScenarios {

    static final List<String> MODES = List.of("websocket", "polling", "polling,websocket");
    /**
     * HTTP/1.1 only: by default the JDK's client asks a fresh plain-HTTP connection to switch to h2c
     * ({@code Upgrade: h2c} on its first request), which Parley's servlet answers 400 as an upgrade
     * it does not take; after a pause longer than the container's keep-alive (a scenario that waits
     * for a heartbeat) the next request would open such a connection.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ContainerScenarios() {
    }

    static File file(String property) {
        String path = System.getProperty(property);
        if (path == null) {
            throw new AssertionError("system property " + property + " is not set: run through Maven (mvn verify)");
        }
        File f = new File(path);
        if (!f.exists()) {
            throw new AssertionError(f + " does not exist: `mvn verify` fetches the containers from Maven Central, "
                    + "builds the Parley jar and WAR and the consumer project src/it/orders-app before the "
                    + "integration tests");
        }
        return f;
    }

    /** The context root the team's WAR is deployed at (its file name, as both containers do). */
    static final String ORDERS_APP = "/orders-app";

    /**
     * The team's WAR ({@code orders-app.war}), as its own Maven build made it: the README's example,
     * depending on {@code dev.parley:parley} from the repository the invoker plugin installed it in.
     */
    static File ordersAppWar() {
        return file("parley.consumerWar");
    }

    /** A web.xml with an invalid Parley setting, which must fail the application's start. */
    static final String INVALID_PING_INTERVAL = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>parley.ping-interval</param-name><param-value>soon</param-value></context-param>
            </web-app>
            """;

    /** The example application once more, at most one handshake a second per address. */
    static final String LIMITED_APP = "/limited";
    static final String ONE_HANDSHAKE_PER_SECOND = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>parley.handshake-rate</param-name><param-value>1</param-value></context-param>
              <context-param><param-name>parley.handshake-burst</param-name><param-value>1</param-value></context-param>
            </web-app>
            """;

    /** The example application once more, every WebSocket frame through the portable Jakarta API. */
    static final String PORTABLE_APP = "/portable";
    static final String PORTABLE_WRITES = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>parley.websocket-writes</param-name><param-value>portable</param-value></context-param>
            </web-app>
            """;
    /** What the start-up line of an application with native writes names, per container. */
    static final String TYRUS_WRITES = "Tyrus's writer, gathered by thread parley-ws-writer (native)";
    static final String UNDERTOW_WRITES = "Undertow's WebSocket channel (native)";
    static final String PORTABLE = "the portable Jakarta WebSocket API (websocket-writes=portable)";

    /**
     * How many lifecycle lines saying an application's Parley stopped ({@code Parley stopped: ...}) the
     * container's log holds so far: one per undeploy, and one per application when the container stops.
     */
    static long stopLines(Path log) throws IOException {
        // the log is written by another process: read it whole, characters a charset cannot map replaced
        String text = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.contains("Parley stopped: ")).count();
    }

    /**
     * Waits for the line in which the application at {@code context} says how its WebSocket frames
     * are written, and checks that it names {@code path}: a native path that silently fell back to
     * the portable API would pass every scenario, so the path taken is asserted, not assumed.
     */
    static void assertWritesThrough(Path log, String context, String path) {
        String line = "Parley at " + context + "/socket.io/: WebSocket frames through ";
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains(line));
        String text;
        try {
            text = Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int at = text.indexOf(line) + line.length();
        assertThat(text.substring(at, text.indexOf('\n', at)).strip()).as(context).startsWith(path);
    }

    /**
     * A handshake flood on WebSocket is refused before any 101 with 429 and the polling JSON body:
     * the {@link #LIMITED_APP} takes one upgrade, and the next one from the same address within the
     * second is refused. Waits for the application through its page, which takes no handshake.
     */
    static void rateLimitedUpgradeGets429(int port) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> status("http://127.0.0.1:" + port + LIMITED_APP + "/") == 200);
        String upgrade = LIMITED_APP + "/socket.io/?EIO=4&transport=websocket";
        assertThat(RawUpgrade.send(port, upgrade, Map.of()).status()).isEqualTo(101);
        RawUpgrade.Answer flood = RawUpgrade.send(port, upgrade, Map.of());
        assertThat(flood.status()).as("second upgrade within the second, body %s", flood.body()).isEqualTo(429);
        assertThat(flood.body()).isEqualTo("{\"code\":4,\"message\":\"too many handshakes from this address, retry later\"}");
    }

    /**
     * Raw WebSocket upgrades the engine refuses are answered before any 101 with the polling JSON
     * body (Parley's servlet filter runs ahead of the container's upgrade): a foreign Origin 403,
     * protocol errors 400; an accepted upgrade still gets its 101.
     */
    static void upgradeRefusals(int port, String context) throws Exception {
        String sio = context + "/socket.io/";
        RawUpgrade.Answer foreign = RawUpgrade.send(port, sio + "?EIO=4&transport=websocket",
                Map.of("Origin", "https://evil.example"));
        assertThat(foreign.status()).as("foreign Origin, body %s", foreign.body()).isEqualTo(403);
        assertThat(foreign.body()).isEqualTo("{\"code\":4,\"message\":\"Origin not allowed\"}");
        Map<String, String> errors = Map.of(
                "?EIO=4&transport=abc", "{\"code\":0,\"message\":\"Transport unknown\"}",
                "?EIO=3&transport=websocket", "{\"code\":5,\"message\":\"Unsupported protocol version\"}",
                "?EIO=4&transport=websocket&sid=nope", "{\"code\":1,\"message\":\"Session ID unknown\"}");
        for (Map.Entry<String, String> e : errors.entrySet()) {
            RawUpgrade.Answer answer = RawUpgrade.send(port, sio + e.getKey(), Map.of());
            assertThat(answer.status()).as("%s, body %s", e.getKey(), answer.body()).isEqualTo(400);
            assertThat(answer.body()).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(RawUpgrade.send(port, sio + "?EIO=4&transport=websocket", Map.of()).status()).isEqualTo(101);
    }

    /**
     * The compression application (test package {@code compression}, the events of
     * {@code src/test/node/compression/compression.test.mjs}): {@code per-message-deflate} on, both
     * thresholds at their default 1024 bytes, {@code http-compression} at its default (on).
     */
    static final String COMPRESSION_APP = "/compressed";
    static final String COMPRESSION_PACKAGE = "dev/parley/jakarta/it/compression";
    static final String COMPRESSION_WEB_XML = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>parley.per-message-deflate</param-name><param-value>true</param-value></context-param>
            </web-app>
            """;
    /** What Parley's own permessage-deflate answers to every acceptable offer. */
    static final String PARLEY_DEFLATE = "permessage-deflate; server_no_context_takeover";
    /** What the WAR logs where it cannot add the extension (not Tyrus). */
    static final String DEFLATE_WARNING = "per-message-deflate is on, but this container is not Tyrus";

    /**
     * The real socket.io-client (src/test/node/compression) against {@link #COMPRESSION_APP} in every
     * transport mode; {@code deflate}, what the WebSocket is expected to negotiate: {@code on}, Parley's
     * permessage-deflate (threshold and compress flag honoured); {@code off}, none (every message whole).
     * Polling through {@code fetch} must see gzip.
     */
    static void runCompressionScenarios(String host, int port, String deflate) throws Exception {
        File nodeDir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        for (String mode : MODES) {
            NodeTestRun.run(nodeDir, "compression/compression.test.mjs", Map.of("PARLEY_URL", "http://" + host + ":"
                    + port, "PARLEY_PATH", COMPRESSION_APP + "/socket.io", "PARLEY_TRANSPORTS", mode,
                    "PARLEY_DEFLATE", deflate), 120);
        }
    }

    /**
     * The {@code Sec-WebSocket-Extensions} answer (null when absent) of a raw upgrade to
     * {@code context} offering permessage-deflate as browsers and the Node client do; the upgrade must
     * succeed.
     */
    static String negotiatedExtensions(int port, String context) throws Exception {
        RawUpgrade.Answer answer = RawUpgrade.send(port, context + "/socket.io/?EIO=4&transport=websocket",
                Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"));
        assertThat(answer.status()).as("upgrade offering permessage-deflate, body %s", answer.body()).isEqualTo(101);
        return answer.header("Sec-WebSocket-Extensions");
    }

    /**
     * Polling by hand with {@code Accept-Encoding: gzip}: a session joins "/", asks for 5,000
     * characters; the poll that carries them is answered with {@code Content-Encoding: gzip} and
     * {@code Vary: Accept-Encoding}, and its body inflates to the packet; the same request without
     * {@code Accept-Encoding} (the handshake) is answered plain. Returns the sizes seen.
     */
    static String pollingResponsesAreGzipped(String host, int port, String context) throws Exception {
        String sio = "http://" + host + ":" + port + context + "/socket.io/?EIO=4&transport=polling";
        String sid = handshake(sio);
        String url = sio + "&sid=" + sid;
        assertThat(post(url, "40")).isEqualTo("ok");
        HttpResponse<byte[]> joined = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(joined.headers().firstValue("Content-Encoding")).as("a plain client's poll").isEmpty();
        assertThat(post(url, "42[\"compressed\",5000,true]")).isEqualTo("ok");
        String expected = "42[\"compressed\",\"" + text(5000) + "\"]";
        // the welcome may come first, in a poll of its own: poll until the packet asked for is there
        for (int polls = 0; polls < 5; polls++) {
            HttpResponse<byte[]> poll = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).header("Accept-Encoding", "gzip").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(poll.statusCode()).isEqualTo(200);
            boolean gzip = poll.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent();
            byte[] bytes = poll.body();
            if (gzip) {
                try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                        new java.io.ByteArrayInputStream(bytes))) {
                    bytes = in.readAllBytes();
                }
            }
            List<String> packets = List.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\u001e"));
            if (packets.contains(expected)) {
                assertThat(gzip).as("the poll carrying 5,000 characters: headers %s", poll.headers().map()).isTrue();
                assertThat(poll.headers().allValues("Vary")).anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT)
                        .contains("accept-encoding"));
                return "a 5,000-character packet polled as " + poll.body().length + " gzip bytes";
            }
        }
        throw new AssertionError("the 5,000 characters asked for never came in 5 polls");
    }

    /** The text of {@code compression.test.mjs}'s {@code text(n)} (and the compression namespace's). */
    static String text(int n) {
        StringBuilder b = new StringBuilder(n + 8);
        for (int i = 0; b.length() < n; i++) {
            b.append("word").append(i % 50).append(' ');
        }
        return b.substring(0, n);
    }

    private static String post(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", body, r.body()).isEqualTo(200);
        return r.body();
    }

    /** The flood application (test package {@code flood}): a low {@code max-buffered-bytes}, native writes. */
    static final String FLOOD_APP = "/flood";
    static final String FLOOD_PACKAGE = "dev/parley/jakarta/it/flood";
    /** The limit of the flood applications: 256 KiB may wait for one client. */
    static final long FLOOD_LIMIT = 256 * 1024;
    static final String FLOOD_WEB_XML = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>parley.max-buffered-bytes</param-name><param-value>262144</param-value></context-param>
              <context-param><param-name>parley.max-buffered-packets</param-name><param-value>100</param-value></context-param>
            </web-app>
            """;
    /** The flood application once more, every frame through the portable Jakarta API. */
    static final String FLOOD_PORTABLE_APP = "/flood-portable";
    static final String FLOOD_PORTABLE_WEB_XML = """
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>parley.max-buffered-bytes</param-name><param-value>262144</param-value></context-param>
              <context-param><param-name>parley.max-buffered-packets</param-name><param-value>100</param-value></context-param>
              <context-param><param-name>parley.websocket-writes</param-name><param-value>portable</param-value></context-param>
            </web-app>
            """;
    /** Blobs of 16 KiB the flood asks for: 64 MiB, 256 times the limit. */
    static final int FLOOD_BLOBS = 4096;

    /** The receive buffer of the client that stops reading: small, so the kernel takes little of the flood. */
    static final int READER_BUFFER = 16 * 1024;

    /**
     * What a flood scenario saw: why the flooded socket left and how long after the flood began (as
     * the namespace measured), how many blobs the handler emitted before, and when the healthy
     * client's echo came back (from the flood request, measured by the test).
     */
    record FloodOutcome(String reason, long droppedAfterMillis, int emitted, long wallMillis) {
        @Override
        public String toString() {
            return "left (" + reason + ") " + droppedAfterMillis + " ms after the flood began, " + emitted + " of "
                    + FLOOD_BLOBS + " blobs (" + (emitted * 16L) + " KiB) emitted before; watcher's echo answered "
                    + wallMillis + " ms after the flood request";
        }
    }

    /**
     * A WebSocket client that connects, asks for a flood of {@link #FLOOD_BLOBS} blobs of 16 KiB and
     * never reads again is dropped by the server (native writes): a second, healthy client in the
     * watchers' room hears from the namespace's {@code @OnDisconnect} that the flooded socket left
     * as a {@code slow consumer} (not the heartbeat: within 10 s where the default one would take
     * 45), the flood handler stopped long before it had emitted everything (the write queue is
     * bounded), the dropped client's TCP connection ends, and the healthy client is still answered.
     */
    static FloodOutcome aClientThatStopsReadingIsDropped(String host, int port, String context) throws Exception {
        FloodOutcome seen = flood(host, port, context, "flood", true, null);
        assertThat(seen.reason()).as("why the flooded socket left").isEqualTo("slow consumer");
        assertThat(seen.droppedAfterMillis()).as("ms from the flood to the disconnect").isLessThan(10_000);
        // 256 KiB may wait in Parley; the container's and the kernel's buffers take some MiB more (a
        // loopback send buffer grows to several MiB), and the handler keeps emitting (each emit then
        // dropped) until the session's end has run on the timer: 1,034 of 4,096 once on Payara in CI
        assertThat(seen.emitted()).as("blobs emitted before the disconnect").isLessThan(FLOOD_BLOBS / 2);
        return seen;
    }

    /**
     * The same flood with {@code websocket-writes=portable} ({@link #FLOOD_PORTABLE_APP}): the
     * portable API cannot cut a connection, so Parley's transport bounds its own queue (the container
     * holds one send at a time) and, past the limit, discards it, asks the container to close and
     * ends the session itself: the socket leaves within seconds (the default heartbeat would take
     * 45), as a {@code slow consumer}; the handler stops long before the end of the flood; the healthy client is served. The
     * TCP connection is the container's to end (a close frame waits behind what it already took).
     */
    static FloodOutcome aClientThatStopsReadingIsDroppedByThePortableQueue(String host, int port) throws Exception {
        FloodOutcome seen = flood(host, port, FLOOD_PORTABLE_APP, "flood", false, null);
        assertThat(seen.reason()).as("why the flooded socket left").isEqualTo("slow consumer");
        assertThat(seen.droppedAfterMillis()).as("ms from the flood to the disconnect").isLessThan(10_000);
        assertThat(seen.emitted()).as("blobs emitted before the disconnect").isLessThan(FLOOD_BLOBS / 4);
        return seen;
    }

    /**
     * Runs a flood at {@code context} (a WAR of {@link #FLOOD_PACKAGE}): a watcher joins the
     * watchers' room, a raw client that then never reads asks for the flood; returns what the
     * namespace told the watcher once the flooded socket left, after an echo round trip of the
     * watcher's; with {@code connectionEnds}, also expects the flooded client's TCP connection to end.
     */
    /**
     * {@code max-buffered-packets} on a container (100 in the flood applications, 1 KiB packets: the
     * byte bound, 256 KiB, cannot be what ends it): a raw client that never reads asks for
     * {@link #PACKET_FLOOD} volatile packets, then as many non-volatile ones ({@code packets} of
     * {@code FloodNamespace}). Past its container's and kernel's buffers the volatile ones are dropped
     * and the session stays (the handler sees it connected after all of them, some MiB more than it
     * could have taken); the non-volatile ones then close it within seconds as {@code slow consumer},
     * long before they are all emitted, and the healthy watcher is still answered.
     */
    static FloodOutcome volatilePacketsAreDroppedFirstThenTheSlowConsumerIsClosed(String host, int port,
            String context) throws Exception {
        CompletableFuture<Args> volatileFlood = new CompletableFuture<>();
        FloodOutcome seen = flood(host, port, context, "packets", false, volatileFlood);
        Args v = volatileFlood.get(1, TimeUnit.SECONDS);
        assertThat(v.get(0, Integer.class)).as("volatile packets emitted").isEqualTo(PACKET_FLOOD);
        assertThat(v.get(1, Boolean.class)).as("connected after every volatile packet").isTrue();
        assertThat(seen.reason()).as("why the flooded socket left").isEqualTo("slow consumer");
        assertThat(seen.droppedAfterMillis()).as("ms from the non-volatile packets to the disconnect")
                .isLessThan(10_000);
        assertThat(seen.emitted()).as("non-volatile packets emitted before the disconnect").isLessThan(PACKET_FLOOD);
        return seen;
    }

    /** Packets of 1 KiB the packet flood asks for, volatile then non-volatile: 48 MiB each. */
    static final int PACKET_FLOOD = 48 * 1024;

    private static FloodOutcome flood(String host, int port, String context, String event, boolean connectionEnds,
            CompletableFuture<Args> volatileFlooded) throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                status("http://" + host + ":" + port + context + "/socket.io/?EIO=4&transport=polling") == 200);
        try (ParleyClient watcher = ParleyClient.connect(URI.create("http://" + host + ":" + port),
                // WebSocket only, as this watcher was before the client's default became polling then upgrade
                ClientOptions.defaults().path(context + "/socket.io/").transports(List.of(ClientOptions.WEBSOCKET)))) {
            ClientSocket watch = watcher.socket("/", null);
            watch.connected().get(10, TimeUnit.SECONDS);
            CompletableFuture<Args> dropped = new CompletableFuture<>();
            CompletableFuture<Args> flooded = new CompletableFuture<>();
            watch.on("dropped", (args, reply) -> dropped.complete(args));
            watch.on("flooded", (args, reply) -> flooded.complete(args));
            if (volatileFlooded != null) {
                watch.on("volatileFlooded", (args, reply) -> volatileFlooded.complete(args));
            }
            assertThat(watch.emitWithAck(Duration.ofSeconds(10), "watch").get(15, TimeUnit.SECONDS).get(0))
                    .isEqualTo("watching");
            try (HandMadeWebSocket reader = HandMadeWebSocket.open(host, port,
                    context + "/socket.io/?EIO=4&transport=websocket", READER_BUFFER)) {
                assertThat(reader.readText()).startsWith("0{\"sid\":");
                reader.sendText("40");
                assertThat(reader.readText()).startsWith("40{\"sid\":");
                long t0 = System.nanoTime();
                reader.sendText("42[\"" + event + "\"," + (event.equals("flood") ? FLOOD_BLOBS : PACKET_FLOOD) + "]");
                // ... and never reads again until the server is done with it.
                Args why = dropped.get(30, TimeUnit.SECONDS);
                Args count = flooded.get(30, TimeUnit.SECONDS);
                assertThat(count.get(1, Integer.class)).isEqualTo(event.equals("flood") ? FLOOD_BLOBS : PACKET_FLOOD);
                String echo = watch.emitWithAck(Duration.ofSeconds(10), "echo", "still served")
                        .get(15, TimeUnit.SECONDS).get(0, String.class);
                assertThat(echo).isEqualTo("still served");
                long wall = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                if (connectionEnds) {
                    // dropped means the connection, not only the session: what was sent drains, then it ends
                    reader.awaitEnd();
                }
                return new FloodOutcome(why.get(0, String.class), why.get(1, Long.class), count.get(0, Integer.class),
                        wall);
            }
        }
    }

    /** The status of a GET. */
    static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A copy of {@code source} with {@code webXml} added as WEB-INF/web.xml. */
    static File withWebXml(File source, File target, String webXml) throws IOException {
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(source);
             ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(target))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write(webXml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (!e.getName().equals("WEB-INF/web.xml")) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.getInputStream(e).transferTo(zip);
                    zip.closeEntry();
                }
            }
        }
        return target;
    }

    /**
     * A WAR of the test classes under {@code appPackage} plus the Parley jar, with {@code webXml}
     * as WEB-INF/web.xml when not null: for applications a team would not build (a broken one).
     */
    static File war(File war, String appPackage, String webXml) throws IOException {
        Path classes = Path.of(System.getProperty("parley.testClasses", "target/test-classes"));
        Path app = classes.resolve(appPackage);
        File library = file("parley.libraryJar");
        try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(war));
             Stream<Path> files = Files.walk(app)) {
            if (webXml != null) {
                zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
                zip.write(webXml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, zip);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("WEB-INF/lib/" + library.getName()));
            Files.copy(library.toPath(), zip);
            zip.closeEntry();
        }
        return war;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until the Engine.IO handshake answers at {@code base + "/socket.io/"}. */
    static void awaitReady(String base, Process server, Duration timeout, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server exited (" + server.exitValue() + "):\n" + tail(log));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base
                        + "/socket.io/?EIO=4&transport=polling")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().startsWith("0{\"sid\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250); // polling a starting server: there is no event to await
        }
        throw new AssertionError(base + " not ready within " + timeout.toSeconds() + " s:\n" + tail(log));
    }

    /** A GET answered with JSON: its status and body. */
    record JsonAnswer(int status, String cacheControl, jakarta.json.JsonObject body) {
    }

    static JsonAnswer getJson(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as(url + ": " + r.body())
                .startsWith("application/json");
        return new JsonAnswer(r.statusCode(), r.headers().firstValue("Cache-Control").orElse(null),
                jakarta.json.Json.createReader(new java.io.StringReader(r.body())).readObject());
    }

    /**
     * Parley's own health endpoints of the application at {@code context}: live and ready, UP with
     * 200, not cached, the adapter named ({@code adapter}: {@code memory}, {@code redis}) and connected.
     */
    static void parleysHealthEndpointsAnswer(String host, int port, String context, String adapter) throws Exception {
        String base = "http://" + host + ":" + port + context + "/parley/health/";
        JsonAnswer ready = getJson(base + "ready");
        assertThat(ready.status()).as(ready.body().toString()).isEqualTo(200);
        assertThat(ready.cacheControl()).isEqualTo("no-store");
        assertThat(ready.body().getString("status")).isEqualTo("UP");
        assertThat(ready.body().getJsonArray("checks").toString())
                .contains("{\"name\":\"parley-adapter\",\"status\":\"UP\",\"data\":{\"adapter\":\"" + adapter
                        + "\",\"state\":\"connected\"}}");
        JsonAnswer live = getJson(base + "live");
        assertThat(live.status()).as(live.body().toString()).isEqualTo(200);
        assertThat(live.body().getString("status")).isEqualTo("UP");
    }

    /** Runs a scenario file of src/test/node/container on every transport mode. */
    static void runScenarios(String file, String host, int port, String context) throws Exception {
        File nodeDir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        for (String mode : MODES) {
            NodeTestRun.run(nodeDir, "container/" + file, Map.of("PARLEY_URL", "http://" + host + ":" + port,
                    "PARLEY_PATH", context + "/socket.io", "PARLEY_APP", "http://" + host + ":" + port + context,
                    "PARLEY_TRANSPORTS", mode), 180);
        }
    }

    /**
     * The team's page (orders-app's index.html) in two real headless Chromium pages: an order placed
     * in one shows in both. The page's client code is what the README shows.
     */
    static void runOrdersPage(String host, int port) throws Exception {
        String chromium = System.getProperty("parley.chromium", "/usr/bin/chromium");
        if (!new File(chromium).canExecute()) {
            throw new AssertionError(chromium + " not found: install Debian's Chromium (apt-get install chromium); "
                    + "`bash .ci/test` does it when run as root");
        }
        NodeTestRun.run(new File(System.getProperty("parley.browserTests", "src/test/browser")), "orders-page.test.mjs",
                Map.of("PARLEY_APP", "http://" + host + ":" + port + ORDERS_APP, "CHROMIUM", chromium), 120);
    }

    /**
     * The slow-body case on a deployed application whose {@code http-body-timeout} is
     * {@code bodyTimeout}: a POST that sends 10 of its 1000 bytes and then nothing gets 408 with the
     * reference's error shape, while another polling client opens a session, joins "/" and gets its
     * answers meanwhile (the slow body holds none of the container's threads). Returns what was seen.
     */
    static String slowPostGets408WhileOthersAreServed(String host, int port, String context, Duration bodyTimeout)
            throws Exception {
        String sio = "http://" + host + ":" + port + context + "/socket.io/?EIO=4&transport=polling";
        String slowSid = handshake(sio);
        long t0 = System.nanoTime();
        try (SlowPost slow = SlowPost.send(host, port, context + "/socket.io/?EIO=4&transport=polling&sid=" + slowSid,
                1000, "42[\"messag")) {
            // A bystander, served while the body waits.
            String sid = handshake(sio);
            HttpResponse<String> connect = HTTP.send(HttpRequest.newBuilder(URI.create(sio + "&sid=" + sid))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("40")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(connect.statusCode()).as("bystander POST: %s", connect.body()).isEqualTo(200);
            assertThat(connect.body()).isEqualTo("ok");
            HttpResponse<String> joined = HTTP.send(HttpRequest.newBuilder(URI.create(sio + "&sid=" + sid))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(joined.statusCode()).isEqualTo(200);
            assertThat(joined.body().split("\u001e")).anyMatch(p -> p.startsWith("40{\"sid\":"));
            long servedMillis = Duration.ofNanos(System.nanoTime() - t0).toMillis();

            SlowPost.Answer answer = slow.awaitAnswer(bodyTimeout.plusSeconds(20), Duration.ofSeconds(5));
            long answeredMillis = Duration.ofNanos(answer.receivedNanos() - t0).toMillis();
            assertThat(answer.status()).as("slow POST answer %s", answer).isEqualTo(408);
            assertThat(answer.body()).isEqualTo("{\"code\":3,\"message\":\"Request body timeout\"}");
            assertThat(answer.headers()).containsEntry("connection", "close");
            // on time: the deadline, plus scheduling slack, far from the container's own timeouts
            assertThat(answeredMillis).isBetween(bodyTimeout.toMillis(), bodyTimeout.toMillis() + 5000);
            assertThat(servedMillis).as("the bystander was served before the 408").isLessThan(answeredMillis);
            // Whether the connection then closes is the container's choice: Undertow closes it at once;
            // Payara keeps it (holding no thread) until its own timeout, about 30 s later.
            return "bystander served in " + servedMillis + " ms, 408 after " + answeredMillis + " ms, connection "
                    + (answer.closedAfter() ? "closed" : "still open 5 s") + " after it";
        }
    }

    /**
     * A client that leaves in the middle of its POST body: its session ends (the sid is unknown
     * afterwards) and the container's log gains no stack trace, no exception, not a line about it.
     */
    static void aClientLeavingMidBodyEndsItsSessionQuietly(String host, int port, String context, Path log)
            throws Exception {
        String sio = "http://" + host + ":" + port + context + "/socket.io/?EIO=4&transport=polling";
        String sid = handshake(sio);
        long logBefore = Files.size(log);
        SlowPost.send(host, port, context + "/socket.io/?EIO=4&transport=polling&sid=" + sid, 1000, "42[\"messag")
                .close();
        await().atMost(Duration.ofSeconds(20)).until(() -> HTTP.send(HttpRequest.newBuilder(
                URI.create(sio + "&sid=" + sid)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body().equals("{\"code\":1,\"message\":\"Session ID unknown\"}"));
        String logged;
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            file.seek(logBefore);
            byte[] rest = new byte[(int) (file.length() - logBefore)];
            file.readFully(rest);
            logged = new String(rest, java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(logged.lines().filter(l -> l.contains("Exception") || l.startsWith("\tat ")
                || l.contains("SEVERE") || l.contains("ERROR")).toList()).as("logged after the client left:%n%s", logged)
                .isEmpty();
    }

    private static String handshake(String url) throws Exception {
        HttpResponse<String> open = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(open.statusCode()).as("handshake: %s", open.body()).isEqualTo(200);
        assertThat(open.body()).startsWith("0{\"sid\":\"");
        int start = "0{\"sid\":\"".length();
        return open.body().substring(start, open.body().indexOf('"', start));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Parley's own threads in a process (its timers are named {@code parley-*}). */
    static List<String> parleyThreads(long pid) throws Exception {
        return threadNames(pid).stream().filter(n -> n.startsWith("parley-")).toList();
    }

    /** Threads of a process, by name, from the JDK's jcmd. */
    static List<String> threadNames(long pid) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("jcmd %d Thread.print:%n%s", pid, out).isZero();
        return out.lines().filter(l -> l.startsWith("\"")).map(l -> l.substring(1, l.indexOf('"', 1))).toList();
    }
}
