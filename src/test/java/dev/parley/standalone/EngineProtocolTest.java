package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The raw Engine.IO v4 protocol over real HTTP and WebSocket against the echo engine of the
 * conformance fixture (pingInterval 300, pingTimeout 200), covering the ground of the public
 * v4 test suite plus Parley's own error paths.
 */
class EngineProtocolTest {

    private static final String PATH = "/engine.io/";
    private static ConformanceServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() throws Exception {
        server = new ConformanceServer();
        http = new RawHttp(server.http());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String poll(String sid) {
        return PATH + "?EIO=4&transport=polling&sid=" + sid;
    }

    private static RawWebSocket ws(String query) {
        return RawWebSocket.connect(server.ws() + PATH + "?" + query);
    }

    @Nested
    class Handshake {
        @Test
        void pollingOpensASessionWithExactlyTheReferenceFields() throws Exception {
            HttpResponse<String> r = http.get(PATH + "?EIO=4&transport=polling");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/plain"));
            assertThat(r.body()).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{22}\",\"upgrades\":\\[\"websocket\"],"
                    + "\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}");
        }

        @Test
        void webSocketOpensASessionWithNoUpgrades() throws Exception {
            try (RawWebSocket ws = ws("EIO=4&transport=websocket")) {
                assertThat((String) ws.next()).matches("0\\{\"sid\":\"[A-Za-z0-9_-]{22}\",\"upgrades\":\\[],"
                        + "\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}");
            }
        }

        @Test
        void refusesAMissingOrInvalidProtocolVersion() throws Exception {
            for (String q : new String[] {"transport=polling", "EIO=abc&transport=polling", "EIO=3&transport=polling"}) {
                HttpResponse<String> r = http.get(PATH + "?" + q);
                assertThat(r.statusCode()).as(q).isEqualTo(400);
                assertThat(r.body()).isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
            }
        }

        @Test
        void refusesAMissingOrUnknownTransport() throws Exception {
            for (String q : new String[] {"EIO=4", "EIO=4&transport=abc"}) {
                HttpResponse<String> r = http.get(PATH + "?" + q);
                assertThat(r.statusCode()).as(q).isEqualTo(400);
                assertThat(r.body()).isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
            }
        }

        @Test
        void refusesAHandshakeThatIsNotAGet() throws Exception {
            for (String method : new String[] {"POST", "PUT"}) {
                HttpResponse<String> r = http.send(method, PATH + "?EIO=4&transport=polling", "");
                assertThat(r.statusCode()).as(method).isEqualTo(400);
                assertThat(r.body()).isEqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}");
            }
        }

        @Test
        void refusesAnUnknownSid() throws Exception {
            HttpResponse<String> r = http.get(poll("doesnotexist"));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        }

        @Test
        void closesWebSocketsWithInvalidParameters() throws Exception {
            for (String q : new String[] {"transport=websocket", "EIO=abc&transport=websocket", "EIO=4",
                    "EIO=4&transport=abc", "EIO=4&transport=websocket&sid=unknown"}) {
                try (RawWebSocket ws = ws(q)) {
                    RawWebSocket.Closed closed = ws.awaitClose(Duration.ofSeconds(5));
                    assertThat(closed.code()).as(q).isNotEqualTo(1000);
                }
            }
        }

        @Test
        void answersPreflightAndSetsCorsHeaders() throws Exception {
            HttpResponse<String> pre = http.sendWithHeader("OPTIONS", PATH + "?EIO=4&transport=polling", "Origin",
                    "http://elsewhere.example");
            assertThat(pre.statusCode()).isEqualTo(204);
            assertThat(pre.headers().firstValue("access-control-allow-origin")).hasValue("*");
            HttpResponse<String> r = http.sendWithHeader("GET", PATH + "?EIO=4&transport=polling", "Origin",
                    "http://elsewhere.example");
            assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        }
    }

    @Nested
    class Messages {
        @Test
        void pollingCarriesOneTextPacket() throws Exception {
            String sid = http.openPolling(PATH);
            HttpResponse<String> push = http.post(poll(sid), "4hello");
            assertThat(push.statusCode()).isEqualTo(200);
            assertThat(push.body()).isEqualTo("ok");
            // the fixture pings every 300 ms: on a slow machine a ping may share the poll, after the message
            assertThat(http.get(poll(sid)).body()).matches("4hello(\u001e2)*");
        }

        @Test
        void pollingCarriesSeveralPacketsAndBinaryInOnePayload() throws Exception {
            String sid = http.openPolling(PATH);
            assertThat(http.post(poll(sid), "4test1\u001e4test2\u001ebAQIDBA==").statusCode()).isEqualTo(200);
            assertThat(http.get(poll(sid)).body()).matches("4test1\u001e4test2\u001ebAQIDBA==(\u001e2)*");
        }

        @Test
        void pollingClosesTheSessionOnAMalformedPayload() throws Exception {
            String sid = http.openPolling(PATH);
            HttpResponse<String> push = http.post(poll(sid), "abc");
            assertThat(push.statusCode()).isEqualTo(400);
            assertThat(http.get(poll(sid)).statusCode()).isEqualTo(400);
        }

        @Test
        void pollingClosesTheSessionOnDuplicatePolls() throws Exception {
            String sid = http.openPolling(PATH);
            CompletableFuture<HttpResponse<String>> first = http.getAsync(poll(sid));
            await().atMost(Duration.ofSeconds(2)).until(() -> server.echoEngine().session(sid) != null
                    && server.echoEngine().session(sid).transport().isWritable());
            HttpResponse<String> second = http.get(poll(sid) + "&t=burst");
            assertThat(second.statusCode()).isEqualTo(400);
            HttpResponse<String> firstResponse = first.get();
            assertThat(firstResponse.statusCode()).isEqualTo(200);
            assertThat(firstResponse.body()).isEqualTo("1");
            assertThat(http.get(poll(sid)).statusCode()).isEqualTo(400);
        }

        @Test
        void pollingRefusesAnOversizedPostAndClosesOnlyThatSession() throws Exception {
            String victim = http.openPolling(PATH);
            String bystander = http.openPolling(PATH);
            HttpResponse<String> push = http.post(poll(victim), "4" + "x".repeat(1_000_001));
            assertThat(push.statusCode()).isEqualTo(413);
            assertThat(http.get(poll(victim)).statusCode()).isEqualTo(400);
            http.post(poll(bystander), "4still here");
            assertThat(http.get(poll(bystander)).body()).isEqualTo("4still here");
        }

        @Test
        void webSocketEchoesTextAndBinary() throws Exception {
            try (RawWebSocket ws = ws("EIO=4&transport=websocket")) {
                ws.next(); // open
                ws.send("4hello");
                assertThat(ws.nextIgnoringPings()).isEqualTo("4hello");
                ws.send(new byte[] {1, 2, 3, 4});
                assertThat((byte[]) ws.nextIgnoringPings()).containsExactly(1, 2, 3, 4);
                ws.send("4h\u00e9llo \ud83d\ude00");
                assertThat(ws.nextIgnoringPings()).isEqualTo("4h\u00e9llo \ud83d\ude00");
            }
        }

        @Test
        void webSocketClosesOnAMalformedPacketAndOthersKeepWorking() throws Exception {
            try (RawWebSocket bad = ws("EIO=4&transport=websocket");
                 RawWebSocket good = ws("EIO=4&transport=websocket")) {
                bad.next();
                good.next();
                bad.send("abc");
                bad.awaitClose(Duration.ofSeconds(5));
                good.send("4alive");
                assertThat(good.nextIgnoringPings()).isEqualTo("4alive");
            }
        }

        @Test
        void webSocketClosesOnAnOversizedFrame() throws Exception {
            try (RawWebSocket ws = ws("EIO=4&transport=websocket")) {
                ws.next();
                ws.send("4" + "x".repeat(1_000_001));
                assertThat(ws.awaitClose(Duration.ofSeconds(5)).code()).isNotEqualTo(1000);
            }
        }
    }

    @Nested
    class Heartbeat {
        @Test
        void pollingSessionsArePingedAndKeptAliveByPongs() throws Exception {
            String sid = http.openPolling(PATH);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = http.get(poll(sid));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("2");
                assertThat(http.post(poll(sid), "3").statusCode()).isEqualTo(200);
            }
        }

        @Test
        void pollingSessionsCloseOnPingTimeout() throws Exception {
            String sid = http.openPolling(PATH);
            await().atMost(Duration.ofSeconds(3)).until(() -> server.echoEngine().session(sid) == null);
            assertThat(http.get(poll(sid)).statusCode()).isEqualTo(400);
        }

        @Test
        void webSocketSessionsArePingedAndKeptAliveByPongs() throws Exception {
            try (RawWebSocket ws = ws("EIO=4&transport=websocket")) {
                ws.next();
                for (int i = 0; i < 3; i++) {
                    assertThat(ws.next()).isEqualTo("2");
                    ws.send("3");
                }
            }
        }

        @Test
        void webSocketSessionsCloseOnPingTimeout() throws Exception {
            try (RawWebSocket ws = ws("EIO=4&transport=websocket")) {
                assertThat((String) ws.next()).startsWith("0");
                assertThat(ws.next()).isEqualTo("2");
                ws.awaitClose(Duration.ofSeconds(3));
            }
        }
    }

    @Nested
    class Close {
        @Test
        void aClosePacketOverPollingEndsTheSessionAndAnswersTheWaitingPoll() throws Exception {
            String sid = http.openPolling(PATH);
            CompletableFuture<HttpResponse<String>> waiting = http.getAsync(poll(sid));
            await().atMost(Duration.ofSeconds(2)).until(() -> server.echoEngine().session(sid).transport().isWritable());
            assertThat(http.post(poll(sid), "1").statusCode()).isEqualTo(200);
            assertThat(waiting.get().body()).isEqualTo("6");
            assertThat(http.get(poll(sid)).statusCode()).isEqualTo(400);
        }

        @Test
        void aClosePacketOverWebSocketClosesIt() throws Exception {
            try (RawWebSocket ws = ws("EIO=4&transport=websocket")) {
                ws.next();
                ws.send("1");
                ws.awaitClose(Duration.ofSeconds(3));
            }
        }
    }

    @Nested
    class Upgrade {
        @Test
        void upgradesFromPollingToWebSocket() throws Exception {
            String sid = http.openPolling(PATH);
            try (RawWebSocket ws = ws("EIO=4&transport=websocket&sid=" + sid)) {
                ws.send("2probe");
                assertThat(ws.next()).isEqualTo("3probe");
                HttpResponse<String> r = http.get(poll(sid));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("6");
                ws.send("5");
                ws.send("4hello");
                assertThat(ws.nextIgnoringPings()).isEqualTo("4hello");
                assertThat(server.echoEngine().session(sid).transportName()).isEqualTo("websocket");
            }
        }

        @Test
        void refusesPollingAfterTheUpgrade() throws Exception {
            String sid = http.openPolling(PATH);
            try (RawWebSocket ws = ws("EIO=4&transport=websocket&sid=" + sid)) {
                ws.send("2probe");
                assertThat(ws.next()).isEqualTo("3probe");
                ws.send("5");
                await().atMost(Duration.ofSeconds(2)).until(() ->
                        server.echoEngine().session(sid).transportName().equals("websocket"));
                assertThat(http.get(poll(sid)).statusCode()).isEqualTo(400);
                ws.send("4hello");
                assertThat(ws.nextIgnoringPings()).isEqualTo("4hello");
            }
        }

        @Test
        void refusesASecondWebSocketForTheSameSession() throws Exception {
            String sid = http.openPolling(PATH);
            try (RawWebSocket ws = ws("EIO=4&transport=websocket&sid=" + sid)) {
                ws.send("2probe");
                assertThat(ws.next()).isEqualTo("3probe");
                ws.send("5");
                try (RawWebSocket second = ws("EIO=4&transport=websocket&sid=" + sid)) {
                    second.awaitClose(Duration.ofSeconds(3));
                }
                ws.send("4hello");
                assertThat(ws.nextIgnoringPings()).isEqualTo("4hello");
            }
        }
    }
}
