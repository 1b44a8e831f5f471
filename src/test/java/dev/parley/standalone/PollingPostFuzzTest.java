package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.engine.EngineOptions;
import dev.parley.server.Namespace;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import dev.parley.testing.LogCapture;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz target (Jazzer) of the polling POST path end to end: after a real handshake over HTTP, a
 * fuzzed body with a fuzzed Content-Type is POSTed to a real standalone server (Grizzly, the polling
 * servlet, {@code PostBodyReader}, {@code PollingPost}, the engine session and the Socket.IO layer
 * of a {@link ParleyServer} whose handlers echo whatever they get, binary included). The only
 * answers allowed are {@code ok} (200), the reference's 400 with {@code {"code","message"}} (the
 * session then ended with {@code parse error}) and 413 for a body over max-payload (the session
 * ended too). Any other status, a stack trace in the server's log, a session that is not gone once
 * the client closes it, or a hang is a finding.
 *
 * <p>Input format (so that the committed corpus reads as a request): the Content-Type, a
 * {@code \n}, then the body's bytes exactly as sent. An empty first line sends no Content-Type; one
 * that is not a valid header value (control characters) is sent as {@code text/plain}. E.g.
 * {@code text/plain;charset=UTF-8\n40\u001e42["echo",1]}.
 *
 * <p>A plain {@code mvn test} replays the committed corpus only (Jazzer's regression mode):
 * {@code src/test/resources/dev/parley/standalone/PollingPostFuzzTestInputs/postsABody/}. To fuzz it
 * for five minutes (README "Fuzzing"):
 * <pre>
 * JAZZER_FUZZ=1 flock /tmp/parley-bench.lock mvn -o test -Dtest='PollingPostFuzzTest' -Djazzer.max_duration=5m
 * </pre>
 */
class PollingPostFuzzTest {

    /** Small, so that the fuzzer's inputs (up to 4 KiB) reach the 413 path as well. */
    private static final int MAX_PAYLOAD = 1000;
    private static final String PATH = "/socket.io/";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static ParleyServer parley;
    private static StandaloneServer server;
    private static LogCapture log;

    private static synchronized String base() throws IOException {
        if (server == null) {
            log = LogCapture.start();
            parley = new ParleyServer(ParleyOptions.builder()
                    .engine(EngineOptions.builder().maxPayload(MAX_PAYLOAD).build()).build());
            install(parley.of("/"));
            install(parley.of("/admin"));
            server = StandaloneServer.start("127.0.0.1", 0,
                    List.of(new StandaloneServer.Mount(parley.engine(), false)), false);
        }
        return "http://127.0.0.1:" + server.port() + PATH;
    }

    /** Handlers that take any arguments without failing themselves, and send them back. */
    private static void install(Namespace nsp) {
        nsp.onConnection(socket -> {
            socket.onAny((event, args) -> echo(socket, args.toArray()));
            socket.on("ack", (args, ack) -> ack.send(args.toArray()));
            socket.on("join", (args, ack) -> {
                socket.join(String.valueOf(args.isEmpty() ? null : args.get(0)));
                nsp.to(String.valueOf(args.isEmpty() ? null : args.get(0))).emit("joined", args.toArray());
            });
        });
    }

    private static void echo(Socket socket, Object[] args) {
        socket.emit("echo", args);
    }

    @AfterAll
    static synchronized void stop() throws IOException {
        if (server != null) {
            parley.close();
            server.close();
            log.close();
            server = null;
        }
    }

    @FuzzTest
    void postsABody(byte[] input) throws Exception {
        String base = base();
        // The requests go to the test's own server on the loopback interface (Jazzer's SSRF detector
        // refuses any connection it was not told of, fuzzed host or not).
        int port = server.port();
        BugDetectors.allowNetworkConnections((host, p) -> p == port
                && (host.equals("127.0.0.1") || host.equals("localhost")));
        int newline = indexOf(input, (byte) '\n');
        String contentType = newline < 0 ? "" : new String(input, 0, newline, StandardCharsets.UTF_8);
        byte[] body = newline < 0 ? input : Arrays.copyOfRange(input, newline + 1, input.length);
        int logged = log.withStackTraces().size();

        String sid = handshake(base);
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base + "?EIO=4&transport=polling&sid=" + sid))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!contentType.isEmpty()) {
            post.header("Content-Type", isHeaderValue(contentType) ? contentType : "text/plain");
        }
        HttpResponse<String> answer = HTTP.send(post.build(), HttpResponse.BodyHandlers.ofString());

        switch (answer.statusCode()) {
            case 200 -> assertThat(answer.body()).isEqualTo("ok");
            case 400 -> {
                JsonObject error = Json.createReader(new StringReader(answer.body())).readObject();
                assertThat(error.get("code")).isInstanceOf(JsonNumber.class);
                assertThat(error.getString("message")).isNotEmpty();
                assertThat(parley.engine().session(sid)).as("a session whose POST did not decode").isNull();
            }
            case 413 -> {
                assertThat(body.length).isGreaterThan(MAX_PAYLOAD);
                assertThat(parley.engine().session(sid)).as("a session whose POST was too large").isNull();
            }
            default -> throw new AssertionError("POST answered " + answer.statusCode() + " " + answer.body());
        }
        if (answer.statusCode() == 200 && body.length > MAX_PAYLOAD) {
            throw new AssertionError("a body of " + body.length + " bytes was taken, max-payload is " + MAX_PAYLOAD);
        }

        // The client closes its session (if the body did not): nothing of it may stay behind.
        HTTP.send(HttpRequest.newBuilder(URI.create(base + "?EIO=4&transport=polling&sid=" + sid))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("1")).build(),
                HttpResponse.BodyHandlers.discarding());
        // Polled at once and then every millisecond: the close is mostly done when the POST returns,
        // and the fuzzer's executions per second are what this wait costs.
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                .until(() -> parley.engine().session(sid) == null);
        List<?> traces = log.withStackTraces();
        assertThat(traces.subList(logged, traces.size())).as("stack traces in the server's log").isEmpty();
    }

    private static String handshake(String base) throws IOException, InterruptedException {
        HttpResponse<String> open = HTTP.send(HttpRequest.newBuilder(URI.create(base + "?EIO=4&transport=polling"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).startsWith("0{\"sid\":\"");
        int start = "0{\"sid\":\"".length();
        return open.body().substring(start, open.body().indexOf('"', start));
    }

    /** What java.net.http accepts as a header value: visible ASCII, space and tab. */
    private static boolean isHeaderValue(String s) {
        return s.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7F));
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
