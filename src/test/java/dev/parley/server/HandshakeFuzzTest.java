package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.engine.Delivery;
import dev.parley.engine.EngineOptions;
import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineSession;
import dev.parley.engine.Transport;
import dev.parley.engine.Verdict;
import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.testing.LogCapture;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz targets (Jazzer) of the handshake: the query string ({@link EngineRequest#parseQuery}), the
 * headers and the method as the engine judges them ({@code EngineServer.admit}: Origin, transport,
 * {@code sid}, {@code EIO}), the session a request opens, and the {@code socket.handshake} its first
 * namespace CONNECT builds, on a real {@link ParleyServer}. Bad input may only be answered with a
 * refusal ({@link Verdict.ProtocolError} or {@link Verdict.Refused}, i.e. a 4xx with the reference's
 * {@code {"code","message"}} body): any exception, any stack trace in the log, or a connection slot
 * or session left behind is a finding.
 *
 * <p>Input format of {@link #judgesAHandshake} (lines separated by {@code \n}, UTF-8), so that the
 * committed corpus reads like a request:
 * <pre>
 * GET                                   the method
 * EIO=4&amp;transport=polling&amp;t=N1a2   the raw query string; $SID stands for the id of a session open meanwhile
 * 127.0.0.1                             the remote address (empty: the container does not tell)
 * 0{"token":"x"}                        the Socket.IO packet sent once the session is open (empty: none)
 * Origin: https://app.example           headers, one a line (an Upgrade header makes it an upgrade request)
 * </pre>
 *
 * <p>A plain {@code mvn test} replays the committed corpus only (Jazzer's regression mode):
 * {@code src/test/resources/dev/parley/server/HandshakeFuzzTestInputs/<method>/}. To fuzz one target
 * for five minutes (README "Fuzzing"):
 * <pre>
 * JAZZER_FUZZ=1 flock /tmp/parley-bench.lock mvn -o test -Dtest='HandshakeFuzzTest#judgesAHandshake' -Djazzer.max_duration=5m
 * </pre>
 */
class HandshakeFuzzTest {

    private static final String ALLOWED_ORIGIN = "https://app.example";
    private static final AtomicReference<Socket> LAST_SOCKET = new AtomicReference<>();
    private static ParleyServer server;

    private static synchronized ParleyServer server() {
        if (server == null) {
            server = new ParleyServer(ParleyOptions.builder()
                    .engine(EngineOptions.builder().allowedOrigins(List.of(ALLOWED_ORIGIN))
                            .bindSessionToAddress(true).build())
                    .build());
            server.onConnection(LAST_SOCKET::set);
            server.of("/admin").onConnection(LAST_SOCKET::set);
        }
        return server;
    }

    @AfterAll
    static synchronized void closeServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** A request as a transport hands it to the engine: judged, and when admitted, opened and connected. */
    @FuzzTest
    void judgesAHandshake(byte[] input) {
        ParleyServer parley = server();
        List<String> lines = Arrays.asList(new String(input, StandardCharsets.UTF_8).split("\n", -1));
        String method = line(lines, 0);
        String address = line(lines, 2).isEmpty() ? null : line(lines, 2);
        String connect = line(lines, 3);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String header : lines.subList(Math.min(4, lines.size()), lines.size())) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? header : header.substring(0, colon);
            String value = colon < 0 ? "" : header.substring(colon + 1).trim();
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        boolean upgrade = headers.keySet().stream().anyMatch("Upgrade"::equalsIgnoreCase);
        LAST_SOCKET.set(null);
        try (LogCapture log = LogCapture.start()) {
            // A session open meanwhile, from the same address as a real client's, for $SID to name.
            FuzzTransport other = new FuzzTransport("polling");
            EngineSession open = parley.engine().handshake(request("GET", "EIO=4&transport=polling",
                    Map.of(), "127.0.0.1"), other);
            String rawQuery = line(lines, 1).replace("$SID", open.id());
            EngineRequest request = request(method, rawQuery, headers, address);

            Verdict verdict = parley.engine().admit(request, upgrade);

            if (verdict instanceof Verdict.Admitted admitted) {
                assertThat(request.method()).isEqualTo("GET");
                assertThat(request.queryParam("EIO")).isEqualTo("4");
                assertThat(request.queryParam("sid")).isNull();
                FuzzTransport transport = new FuzzTransport(request.queryParam("transport"));
                EngineSession session = parley.engine().handshake(request, transport, admitted.admission());
                assertThat(session.request().query()).isEqualTo(EngineRequest.parseQuery(rawQuery));
                if (!connect.isEmpty()) {
                    session.onPacket(transport, EnginePacket.message(connect));
                    Socket socket = LAST_SOCKET.get();
                    if (socket != null) {
                        assertThat(socket.handshake().query()).isEqualTo(request.query());
                        JsonObject json = socket.handshake().toJson();
                        assertThat(json.getJsonObject("query").keySet()).isEqualTo(request.query().keySet());
                    }
                }
                session.onTransportClose(transport, "fuzz input done");
            } else if (verdict instanceof Verdict.Existing existing) {
                assertThat(existing.session()).isSameAs(open);
                assertThat(request.queryParam("sid")).isEqualTo(open.id());
            } else {
                assertThat(verdict.httpStatus()).isBetween(400, 599);
                JsonObject body = Json.createReader(new StringReader(verdict.json())).readObject();
                assertThat(body.get("code")).isInstanceOf(JsonNumber.class);
                assertThat(body.get("message")).isInstanceOf(JsonString.class);
            }
            open.onTransportClose(other, "fuzz input done");
            log.assertNoStackTraces();
        }
        // A session the server closed itself (a parse error) ends on the timer thread, which may be
        // forgetting it at this very moment: awaited, briefly (a session that stays is a finding).
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    assertThat(parley.engine().sessionCount()).as("sessions left open").isZero();
                    assertThat(parley.engine().admittedCount()).as("connection slots left taken").isZero();
                });
    }

    /** Query parameters the fuzzer builds read back the same once URL-encoded (first value of each name). */
    @FuzzTest
    void parsesTheQueryItBuilds(FuzzedDataProvider data) {
        Map<String, String> params = new LinkedHashMap<>();
        StringBuilder raw = new StringBuilder();
        int n = data.consumeInt(0, 8);
        for (int i = 0; i < n; i++) {
            String name = wellFormed(data.consumeString(16));
            String value = wellFormed(data.consumeString(32));
            if (name.isEmpty()) {
                continue; // "=v" names nothing
            }
            params.putIfAbsent(name, value);
            if (raw.length() > 0) {
                raw.append('&');
            }
            raw.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        assertThat(EngineRequest.parseQuery(raw.toString())).containsExactlyEntriesOf(params);
    }

    /** Text as it arrives from a client (UTF-8): a lone surrogate cannot. */
    private static String wellFormed(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static String line(List<String> lines, int i) {
        return i < lines.size() ? lines.get(i) : "";
    }

    private static EngineRequest request(String method, String rawQuery, Map<String, List<String>> headers,
                                         String address) {
        return new EngineRequest(method, "/socket.io/?" + rawQuery, EngineRequest.parseQuery(rawQuery), headers,
                address, false);
    }

    /** A transport that takes whatever it is sent: the handshake, not the transport, is fuzzed here. */
    private static final class FuzzTransport implements Transport {

        private final String name;

        FuzzTransport(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void send(List<EncodedPacket> packets, Delivery delivery) {
            assertThat(packets).doesNotContainNull();
        }

        @Override
        public void close(boolean sendClosePacket) {
        }
    }
}
