package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.engine.EngineOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone server's HTTP timeouts against a real server, with raw sockets: a connection that
 * sends nothing, or half a request, or idles after a response, is closed after
 * {@code http-header-timeout} / {@code http-keep-alive-timeout} (408 for a half-sent request, like
 * Node); a long-poll waiting for data and an open WebSocket are never cut by them. Every test
 * also checks that bystanders on both transports are still served.
 */
class ConnectionTimeoutsTest {

    private static final String SIO = "/socket.io/";
    /** Short timeouts, so the tests see them pass; everything that must survive outlives them several times. */
    private static final long HEADER_TIMEOUT = 600;
    private static final long KEEP_ALIVE_TIMEOUT = 400;

    private LogCapture log;
    private ParleyServer parley;
    private StandaloneServer server;

    @AfterEach
    void stop() {
        if (parley != null) {
            parley.close();
        }
        if (server != null) {
            server.close();
        }
        if (log != null) {
            log.close();
        }
    }

    private void start(UnaryOperator<EngineOptions.Builder> engine) throws IOException {
        log = LogCapture.start();
        parley = new ParleyServer(ParleyOptions.builder().engine(engine.apply(EngineOptions.builder()
                .httpHeaderTimeout(HEADER_TIMEOUT).httpKeepAliveTimeout(KEEP_ALIVE_TIMEOUT)).build()).build());
        parley.of("/").onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.get(0))));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    private Socket raw() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000); // a bound on a failing test, never reached when the server behaves
        return s;
    }

    // ---------------------------------------------------------------- what is closed

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws Exception {
        start(e -> e);
        try (Socket idle = raw()) {
            long opened = System.nanoTime();
            Ending end = readToEnd(idle);
            assertThat(end.closedByServer()).as("closed by the server").isTrue();
            assertThat(end.bytes()).as("nothing is answered to a connection that asked nothing").isEmpty();
            assertThat(elapsedMillis(opened)).isBetween(HEADER_TIMEOUT - 50, HEADER_TIMEOUT + 4000);
        }
        bystandersAreServed();
    }

    @Test
    void aRequestLineWithoutTheEndOfItsHeadersGets408AndIsClosed() throws Exception {
        start(e -> e);
        try (Socket half = raw()) {
            long opened = System.nanoTime();
            write(half, "GET " + SIO + "?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            Ending end = readToEnd(half);
            assertThat(end.closedByServer()).isTrue();
            assertThat(end.text()).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close");
            assertThat(elapsedMillis(opened)).isGreaterThanOrEqualTo(HEADER_TIMEOUT - 50);
        }
        assertThat(parley.engine().sessionCount()).isZero();
        bystandersAreServed();
    }

    @Test
    void aKeptAliveConnectionIdleAfterItsResponseIsClosedAfterTheKeepAliveTimeout() throws Exception {
        start(e -> e);
        try (Socket client = raw()) {
            write(client, "GET " + SIO + "?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String response = readResponse(client.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200 ").contains("0{\"sid\":");
            assertThat(response.toLowerCase()).doesNotContain("connection: close");
            long answered = System.nanoTime();
            Ending end = readToEnd(client);
            assertThat(end.closedByServer()).isTrue();
            assertThat(end.bytes()).as("an idle kept-alive connection is just closed").isEmpty();
            assertThat(elapsedMillis(answered)).isBetween(KEEP_ALIVE_TIMEOUT - 50, KEEP_ALIVE_TIMEOUT + 4000);
        }
        bystandersAreServed();
    }

    @Test
    void aSecondRequestStartedOnAKeptAliveConnectionHasTheHeaderTimeoutAndGets408() throws Exception {
        start(e -> e.httpKeepAliveTimeout(200).httpHeaderTimeout(1500));
        try (Socket client = raw()) {
            write(client, "GET " + SIO + "?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(readResponse(client.getInputStream())).startsWith("HTTP/1.1 200 ");
            long answered = System.nanoTime();
            write(client, "GET " + SIO + "?EIO=4&transport=polling HTTP/1.1\r\n");
            Ending end = readToEnd(client);
            // Not cut as idle at 200 ms: bytes of a request arrived, so the header timeout (1.5 s) applies.
            assertThat(end.text()).startsWith("HTTP/1.1 408 ");
            assertThat(end.closedByServer()).isTrue();
            assertThat(elapsedMillis(answered)).isGreaterThanOrEqualTo(1400);
        }
        bystandersAreServed();
    }

    @Test
    void anUpgradeRefusedByTyrusIsAnsweredThenClosedLikeAnyIdleConnection() throws Exception {
        start(e -> e);
        try (Socket client = raw()) {
            long sent = System.nanoTime();
            write(client, "GET " + SIO + "?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 7\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            Ending end = readToEnd(client);
            assertThat(end.text()).startsWith("HTTP/1.1 4");
            assertThat(end.closedByServer()).isTrue();
            assertThat(elapsedMillis(sent)).isLessThan(KEEP_ALIVE_TIMEOUT + 4000);
        }
        bystandersAreServed();
    }

    // ---------------------------------------------------------------- what is not closed

    @Test
    void aLongPollWaitingLongerThanBothTimeoutsIsNotCutAndGetsItsAnswer() throws Exception {
        // The poll waits for the first ping, 3 s: five times the header timeout.
        start(e -> e.pingInterval(3000).pingTimeout(2000));
        try (Socket client = raw()) {
            write(client, "GET " + SIO + "?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String handshake = readResponse(client.getInputStream());
            String sid = handshake.substring(handshake.indexOf("\"sid\":\"") + 7);
            sid = sid.substring(0, sid.indexOf('"'));
            long asked = System.nanoTime();
            write(client, "GET " + SIO + "?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            String poll = readResponse(client.getInputStream());
            assertThat(elapsedMillis(asked)).isGreaterThanOrEqualTo(2500);
            assertThat(poll).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n2");
        }
        bystandersAreServed();
    }

    @Test
    void anOpenWebSocketWithHeartbeatsOutlivesTheHttpTimeoutsAndStillAnswers() throws Exception {
        start(e -> e.pingInterval(200).pingTimeout(3000));
        try (RawWebSocket ws = RawWebSocket.connect(wsUrl())) {
            assertThat((String) ws.next()).startsWith("0{\"sid\":");
            ws.send("40");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
            // Idle but for the heartbeat for ten times the longest HTTP timeout.
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10 * HEADER_TIMEOUT);
            int pings = 0;
            while (System.nanoTime() < until) {
                Object frame = ws.next();
                assertThat(frame).as("only pings while idle").isEqualTo("2");
                ws.send("3");
                pings++;
            }
            assertThat(pings).isGreaterThanOrEqualTo(10);
            ws.send("421[\"echo\",\"still open\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[\"still open\"]");
        }
        bystandersAreServed();
    }

    @Test
    void anUpgradedConnectionIdleBeforeItsFirstHeartbeatIsNotCut() throws Exception {
        // An upgrade that idles after its 101 (no heartbeat yet: the default 25 s ping interval).
        start(e -> e);
        try (HandMadeWebSocket ws = HandMadeWebSocket.open("127.0.0.1", server.port(), SIO + "?EIO=4&transport=websocket")) {
            assertThat(ws.readText()).startsWith("0{\"sid\":");
            ws.assertOpenFor(Duration.ofMillis(3 * HEADER_TIMEOUT));
            ws.sendText("40");
            assertThat(ws.readText()).startsWith("40{\"sid\":");
        }
        bystandersAreServed();
    }

    // ---------------------------------------------------------------- helpers

    private String wsUrl() {
        return "ws://127.0.0.1:" + server.port() + SIO + "?EIO=4&transport=websocket";
    }

    /**
     * A WebSocket client and a polling client both get a session, join "/" and are answered; and
     * nothing so far was logged with a stack trace.
     */
    private void bystandersAreServed() throws Exception {
        log.assertNoStackTraces();
        try (RawWebSocket ws = RawWebSocket.connect(wsUrl())) {
            assertThat((String) ws.next()).startsWith("0{\"sid\":");
            ws.send("40");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
            ws.send("421[\"echo\",\"bystander\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[\"bystander\"]");
        }
        RawHttp http = new RawHttp("http://127.0.0.1:" + server.port());
        String sid = http.openPolling(SIO);
        String session = SIO + "?EIO=4&transport=polling&sid=" + sid;
        assertThat(http.post(session, "40").statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> poll = http.getAsync(session);
        assertThat(poll.get(5, TimeUnit.SECONDS).body()).startsWith("40{\"sid\":");
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    private static long elapsedMillis(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /** What a connection received until it ended, and whether the server ended it (EOF or reset). */
    record Ending(byte[] bytes, boolean closedByServer) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads until the server closes the connection (or the socket's timeout says it did not). */
    private static Ending readToEnd(Socket s) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
            return new Ending(got.toByteArray(), true);
        } catch (SocketTimeoutException stillOpen) {
            return new Ending(got.toByteArray(), false);
        } catch (IOException reset) {
            return new Ending(got.toByteArray(), true);
        }
    }

    /** Reads one HTTP response with a Content-Length body (what the polling servlet answers). */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed in the response headers: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return headers + new String(body, StandardCharsets.UTF_8);
    }
}
