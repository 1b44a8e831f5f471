package dev.parley.standalone;

import static dev.parley.standalone.HandMadeWebSocket.BINARY;
import static dev.parley.standalone.HandMadeWebSocket.CONTINUATION;
import static dev.parley.standalone.HandMadeWebSocket.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WebSocket messages over {@code max-payload} (the default, 1,000,000 bytes) on a real standalone
 * server, sent by hand: whatever the frame's size, even a header declaring 2^40 bytes with nothing
 * after it, the connection is closed with 1009 at once, like Node, with no stack trace logged;
 * messages of exactly the limit still pass, also in one write with the frames after them. Each
 * test checks that the session is gone and that bystanders on both transports are served.
 */
class OversizedFrameTest {

    private static final String SIO = "/socket.io/";
    private static final int MAX = 1_000_000;

    private LogCapture log;
    private ParleyServer parley;
    private StandaloneServer server;

    @BeforeEach
    void start() throws IOException {
        log = LogCapture.start();
        parley = new ParleyServer(ParleyOptions.defaults());
        parley.of("/").onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.get(0))));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    @AfterEach
    void stop() {
        if (parley != null) {
            parley.close();
        }
        if (server != null) {
            server.close();
        }
        log.close();
    }

    @Test
    void aFrameOneByteOverTheLimitIsClosedWith1009() throws Exception {
        try (HandMadeWebSocket ws = joined()) {
            CompletableFuture<Void> writing = sendAside(ws, HandMadeWebSocket.frame(true, TEXT, event(MAX + 1)));
            assertThat(ws.awaitClose().closeCode()).isEqualTo(1009);
            writing.get(10, TimeUnit.SECONDS);
        }
        theSessionIsGoneAndBystandersAreServed();
    }

    @Test
    void aFrameOfSeveralMegabytesIsClosedWith1009() throws Exception {
        try (HandMadeWebSocket ws = joined()) {
            CompletableFuture<Void> writing = sendAside(ws, HandMadeWebSocket.frame(true, BINARY, new byte[5 * MAX]));
            assertThat(ws.awaitClose().closeCode()).isEqualTo(1009);
            writing.get(10, TimeUnit.SECONDS);
        }
        theSessionIsGoneAndBystandersAreServed();
    }

    @Test
    void aHeaderDeclaring2To40BytesIsClosedWith1009AtOnceWithoutWaitingForThem() throws Exception {
        try (HandMadeWebSocket ws = joined()) {
            long sent = System.nanoTime();
            ws.sendHeader(true, BINARY, 1L << 40);
            assertThat(ws.awaitClose().closeCode()).isEqualTo(1009);
            // Nothing of the terabyte was awaited, nor room made for it.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isLessThan(3000);
        }
        theSessionIsGoneAndBystandersAreServed();
    }

    @Test
    void headersArrivingInTwoReadsAreJoined() throws Exception {
        try (HandMadeWebSocket ws = joined()) {
            byte[] ok = HandMadeWebSocket.frame(true, TEXT, "422[\"echo\",\"joined\"]".getBytes(StandardCharsets.UTF_8));
            // An event and 3 bytes of the next header in one write; its answer proves the server
            // read them, so the rest of the header comes in another read.
            ws.sendRaw(concat(HandMadeWebSocket.frame(true, TEXT, "421[\"echo\",1]".getBytes(StandardCharsets.UTF_8)),
                    Arrays.copyOfRange(ok, 0, 3)));
            assertThat(ws.readText()).isEqualTo("431[1]");
            ws.sendRaw(Arrays.copyOfRange(ok, 3, ok.length));
            assertThat(ws.readText()).isEqualTo("432[\"joined\"]");

            byte[] big = HandMadeWebSocket.header(true, TEXT, 3L * MAX);
            ws.sendRaw(concat(HandMadeWebSocket.frame(true, TEXT, "423[\"echo\",3]".getBytes(StandardCharsets.UTF_8)),
                    Arrays.copyOfRange(big, 0, 3)));
            assertThat(ws.readText()).isEqualTo("433[3]");
            ws.sendRaw(Arrays.copyOfRange(big, 3, big.length));
            assertThat(ws.awaitClose().closeCode()).isEqualTo(1009);
        }
        theSessionIsGoneAndBystandersAreServed();
    }

    @Test
    void fragmentsAddingUpOverTheLimitAreClosedWith1009() throws Exception {
        try (HandMadeWebSocket ws = joined()) {
            byte[] message = event(MAX + 2);
            int half = message.length / 2;
            ws.sendFrame(false, TEXT, Arrays.copyOfRange(message, 0, half));
            CompletableFuture<Void> writing = sendAside(ws,
                    HandMadeWebSocket.frame(true, CONTINUATION, Arrays.copyOfRange(message, half, message.length)));
            assertThat(ws.awaitClose().closeCode()).isEqualTo(1009);
            writing.get(10, TimeUnit.SECONDS);
        }
        theSessionIsGoneAndBystandersAreServed();
    }

    @Test
    void aControlFrameDeclaringMoreThan125BytesIsAProtocolError() throws Exception {
        try (HandMadeWebSocket ws = joined()) {
            ws.sendHeader(true, 0x9, 200); // a ping may carry 125 bytes at most
            assertThat(ws.awaitClose().closeCode()).isEqualTo(1002);
        }
        theSessionIsGoneAndBystandersAreServed();
    }

    @Test
    void aMessageOfExactlyTheLimitPassesAlsoWithFramesAfterItInTheSameWrite() throws Exception {
        try (HandMadeWebSocket ws = joined()) {
            ByteArrayOutputStream write = new ByteArrayOutputStream();
            write.writeBytes(HandMadeWebSocket.frame(true, TEXT, event(MAX)));
            write.writeBytes(HandMadeWebSocket.frame(true, TEXT, "422[\"echo\",\"after\"]".getBytes(StandardCharsets.UTF_8)));
            // The same exact-limit message in two fragments, then one more small event.
            byte[] fragmented = event(MAX);
            write.writeBytes(HandMadeWebSocket.frame(false, TEXT, Arrays.copyOfRange(fragmented, 0, 10)));
            write.writeBytes(HandMadeWebSocket.frame(true, CONTINUATION, Arrays.copyOfRange(fragmented, 10, MAX)));
            write.writeBytes(HandMadeWebSocket.frame(true, TEXT, "424[\"echo\",\"last\"]".getBytes(StandardCharsets.UTF_8)));
            ws.sendRaw(write.toByteArray());

            String big = ws.readText();
            assertThat(big).startsWith("431[\"yyy").hasSize(MAX - "421[\"echo\",".length() + "431[".length());
            assertThat(ws.readText()).isEqualTo("432[\"after\"]");
            assertThat(ws.readText()).startsWith("431[\"yyy").hasSize(big.length());
            assertThat(ws.readText()).isEqualTo("434[\"last\"]");
        }
        bystandersAreServed();
        log.assertNoStackTraces();
    }

    // ---------------------------------------------------------------- helpers

    /** A raw WebSocket with an Engine.IO session joined to "/". */
    private HandMadeWebSocket joined() throws IOException {
        HandMadeWebSocket ws = HandMadeWebSocket.open("127.0.0.1", server.port(), SIO + "?EIO=4&transport=websocket");
        assertThat(ws.readText()).startsWith("0{\"sid\":");
        ws.sendText("40");
        assertThat(ws.readText()).startsWith("40{\"sid\":");
        assertThat(parley.engine().sessionCount()).isEqualTo(1);
        return ws;
    }

    /**
     * Writes on another thread: the server stops reading at an oversized frame's header and closes,
     * so the write may fail with a broken pipe while the test reads the close frame.
     */
    private static CompletableFuture<Void> sendAside(HandMadeWebSocket ws, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                ws.sendRaw(bytes);
            } catch (IOException closedMeanwhile) {
                // the server closed the connection before taking all of it, as it should
            }
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A Socket.IO event {@code 421["echo","yyy…"]} of exactly {@code size} bytes. */
    private static byte[] event(int size) {
        String head = "421[\"echo\",\"";
        String tail = "\"]";
        return (head + "y".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private void theSessionIsGoneAndBystandersAreServed() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> parley.engine().sessionCount() == 0);
        bystandersAreServed();
        log.assertNoStackTraces();
        assertThat(log.records()).noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue());
    }

    private void bystandersAreServed() throws Exception {
        String url = "ws://127.0.0.1:" + server.port() + SIO + "?EIO=4&transport=websocket";
        try (RawWebSocket ws = RawWebSocket.connect(url)) {
            assertThat((String) ws.next()).startsWith("0{\"sid\":");
            ws.send("40");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
            ws.send("421[\"echo\",\"bystander\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("431[\"bystander\"]");
        }
        RawHttp http = new RawHttp("http://127.0.0.1:" + server.port());
        String session = SIO + "?EIO=4&transport=polling&sid=" + http.openPolling(SIO);
        assertThat(http.post(session, "40").statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> poll = http.getAsync(session);
        assertThat(poll.get(5, TimeUnit.SECONDS).body()).startsWith("40{\"sid\":");
    }
}
