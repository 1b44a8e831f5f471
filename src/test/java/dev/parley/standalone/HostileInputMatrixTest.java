package dev.parley.standalone;

import static dev.parley.standalone.HandMadeWebSocket.CONTINUATION;
import static dev.parley.standalone.HandMadeWebSocket.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.engine.EngineOptions;
import dev.parley.server.DisconnectReason;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.LogCapture;
import dev.parley.testing.RawUpgrade;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hostile-input matrix (issue 16, item 2): each case is an attack played by hand (raw sockets,
 * hand-made WebSocket frames, raw HTTP) against one in-JVM standalone server, on both transports
 * where the attack exists on both, and each asserts three things:
 * <ol>
 * <li><b>the offender is dealt with, with a reason</b>: its session closed (the HTTP status, the
 * WebSocket close code, the disconnect reason its socket's handler saw), or, where the reference
 * answers per packet rather than closing (the namespace limit, a CONNECT flood), every extra packet
 * answered with its {@code CONNECT_ERROR} and the offender held to its bound;</li>
 * <li><b>no other client notices</b>: two bystanders (Parley's Java client, one on each transport,
 * reconnection off, heartbeats every second) keep their session and socket, receive a broadcast sent
 * after the attack and get their ack round trip;</li>
 * <li><b>memory stays bounded</b>: the engine's session count is back to the bystanders alone, no
 * socket is left in any namespace, and the heap retained after GC does not grow by more than
 * {@link #RETAINED_BOUND} bytes across {@link #REPEATS} more repetitions of the attack.</li>
 * </ol>
 * Cases on one transport only say why in their javadoc.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputMatrixTest {

    private static final String SIO = "/socket.io/";
    static final int MAX_PAYLOAD = 100_000;
    static final int MAX_NAMESPACES = 32;
    /**
     * Also what bounds a kept-alive connection's idle time (the sooner of this and the keep-alive
     * timeout: {@code HttpTimeouts}), so longer than the ping interval (1 s): the polling bystander's
     * pong POSTs then reuse their pooled connection before it could be closed as idle. At 1 s the
     * close and the next POST met every second (see {@link #KEEP_ALIVE_TIMEOUT}).
     */
    private static final long HEADER_TIMEOUT = 2500;
    private static final long UPGRADE_TIMEOUT = 500;
    /**
     * Longer than any case, so no kept-alive connection is closed as idle during one: the JDK's
     * HttpClient (the polling bystander's) may send a POST on a pooled connection the server is
     * closing as idle at that very moment, and does not retry a POST ("header parser received no
     * bytes", then the client ends the transport). That race is the client's, with or without an
     * attack (seen in about one case in six with the default 5 s); it is not what this matrix tests.
     * The idle close comes at the header timeout when that is sooner: see {@link #HEADER_TIMEOUT}.
     */
    private static final long KEEP_ALIVE_TIMEOUT = 120_000;
    /** Repetitions of each attack between the two heap measurements. */
    static final int REPEATS = 25;
    /**
     * Retained heap growth allowed across the repetitions: 3 MiB, i.e. about 120 KiB per attack over
     * {@link #REPEATS}. Generous: after a full collection the measurement moved by -190 to +1,100 KiB
     * in these runs; meaningful: an attack that left a connection's buffers or a few thousand packets
     * behind each time would exceed it (a leaked session or socket fails the counts before that).
     */
    static final long RETAINED_BOUND = 3L << 20;
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);

    private LogCapture log;
    /** The server under attack: the shared one, or the handshake-flood case's own (limits on). */
    private ParleyServer parley;
    private StandaloneServer server;
    /** Disconnect reasons by socket id, from every namespace's disconnect handler. */
    private final Map<String, DisconnectReason> disconnects = new ConcurrentHashMap<>();
    /** Events the server's handlers received, by value of their first argument. */
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicLong broadcasts = new AtomicLong();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    /** Why a bystander's polling failed, should it (the client says so at FINE only). */
    private final java.util.logging.Logger clientPolling = java.util.logging.Logger.getLogger(
            "dev.parley.client.PollingTransport");
    private final List<String> clientFailures = new CopyOnWriteArrayList<>();
    private final java.util.logging.Handler clientFailureHandler = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord r) {
            if (r.getMessage() != null && r.getMessage().startsWith("polling ")) {
                clientFailures.add(r.getMessage() + (r.getThrown() == null ? "" : ": " + r.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    void start() throws Exception {
        clientPolling.setLevel(java.util.logging.Level.FINE);
        clientFailureHandler.setLevel(java.util.logging.Level.FINE);
        clientPolling.addHandler(clientFailureHandler);
        parley = new ParleyServer(ParleyOptions.builder().maxNamespaces(MAX_NAMESPACES).engine(EngineOptions.builder()
                .maxPayload(MAX_PAYLOAD).pingInterval(1000).pingTimeout(5000).upgradeTimeout(UPGRADE_TIMEOUT)
                .httpHeaderTimeout(HEADER_TIMEOUT).httpKeepAliveTimeout(KEEP_ALIVE_TIMEOUT).build()).build());
        parley.of("/").onConnection(this::serve);
        parley.of(Pattern.compile("^/dyn-\\d+$")).onConnection(this::serve);
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    private void serve(dev.parley.server.Socket socket) {
        socket.on("echo", (args, ack) -> {
            received.computeIfAbsent(String.valueOf(args.get(0)), k -> new AtomicInteger()).incrementAndGet();
            ack.send(args.toArray());
        });
        socket.onDisconnect((reason, description) -> disconnects.put(socket.id(), reason));
    }

    @AfterAll
    void stop() {
        pool.shutdownNow();
        clientPolling.removeHandler(clientFailureHandler);
        clientPolling.setLevel(null);
        parley.close();
        server.close();
    }

    @BeforeEach
    void captureLog() {
        log = LogCapture.start();
    }

    /** Nothing logged with a stack trace. */
    @AfterEach
    void nothingLoggedWithAStackTrace() {
        try {
            List<java.util.logging.LogRecord> traced = log.withStackTraces();
            traced.forEach(r -> r.getThrown().printStackTrace(System.out));
            assertThat(traced).as("log records with a stack trace").isEmpty();
        } finally {
            log.close();
        }
    }

    // ================================================================ the harness

    /** One play of an attack; it asserts how the offender was dealt with (part a). */
    @FunctionalInterface
    interface Attack {
        void play() throws Exception;
    }

    /** Parts (b) and (c) around an attack: bystanders undisturbed, counts back, heap bounded. */
    private void matrix(Attack attack) throws Exception {
        matrix(REPEATS, attack);
    }

    /** As {@link #matrix(Attack)}, with {@code repeats} plays between the heap measurements (for attacks that are many at once). */
    private void matrix(int repeats, Attack attack) throws Exception {
        try (Bystanders bystanders = new Bystanders()) {
            attack.play();
            settled(bystanders);
            bystanders.undisturbed();
            long before = retainedHeap();
            for (int i = 0; i < repeats; i++) {
                attack.play();
            }
            settled(bystanders);
            long after = retainedHeap();
            System.out.printf("[hostile] retained heap %d KiB before, %d KiB after %d more attacks (%+d KiB)%n",
                    before >> 10, after >> 10, repeats, (after - before) >> 10);
            assertThat(after - before).as("retained heap growth over %d attacks", repeats)
                    .isLessThan(RETAINED_BOUND);
            bystanders.undisturbed();
        }
    }

    /** The engine holds the bystanders' sessions alone, and no namespace a socket but theirs. */
    private void settled(Bystanders bystanders) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(bystanders.lost).as("bystander disconnects; client polling failures: %s", clientFailures)
                    .isEmpty();
            assertThat(parley.engine().sessionCount()).as("engine sessions").isEqualTo(2);
            assertThat(parley.of("/").sockets().keySet()).as("sockets of /")
                    .containsExactlyInAnyOrderElementsOf(bystanders.socketIds());
            for (dev.parley.server.Namespace child : parley.of(Pattern.compile("^/dyn-\\d+$")).children()) {
                assertThat(child.sockets()).as("sockets of " + child.name()).isEmpty();
            }
        });
    }

    /** Heap used after a full GC, once two collections in a row agree within 256 KiB. */
    private static long retainedHeap() {
        var memory = ManagementFactory.getMemoryMXBean();
        long[] last = {Long.MAX_VALUE};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            boolean stable = Math.abs(used - last[0]) < 256 * 1024;
            last[0] = used;
            return stable;
        });
        return last[0];
    }

    /**
     * Two well-behaved clients, Parley's own, one on each transport, joined to "/" with reconnection
     * off: a session lost during an attack stays lost, and the checks see it.
     */
    private final class Bystanders implements AutoCloseable {
        private final List<ParleyClient> clients = new ArrayList<>();
        private final List<ClientSocket> sockets = new ArrayList<>();
        private final List<String> sids = new ArrayList<>();
        private final List<BlockingQueue<Object>> news = new ArrayList<>();
        private final List<String> lost = new CopyOnWriteArrayList<>();

        Bystanders() throws Exception {
            for (String transport : List.of(ClientOptions.WEBSOCKET, ClientOptions.POLLING)) {
                ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + server.port()),
                        ClientOptions.defaults().transports(List.of(transport)).reconnection(false));
                clients.add(client);
                BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
                ClientSocket socket = client.socket("/", null, s -> {
                    s.on("news", (args, reply) -> inbox.add(args.get(0)));
                    s.onDisconnect(reason -> lost.add(transport + ": " + reason));
                });
                socket.connected().get(10, TimeUnit.SECONDS);
                sockets.add(socket);
                news.add(inbox);
                sids.add(client.sessionId());
            }
        }

        List<String> socketIds() {
            return sockets.stream().map(ClientSocket::id).toList();
        }

        /** Same sessions and sockets as before; a broadcast sent now reaches both; acks come back. */
        void undisturbed() throws Exception {
            assertThat(lost).as("bystander disconnects; client polling failures: %s", clientFailures).isEmpty();
            for (int i = 0; i < clients.size(); i++) {
                assertThat(clients.get(i).sessionId()).as("bystander session").isEqualTo(sids.get(i));
                assertThat(sockets.get(i).isConnected()).isTrue();
            }
            long n = broadcasts.incrementAndGet();
            parley.emit("news", n);
            for (int i = 0; i < clients.size(); i++) {
                Object got = news.get(i).poll(10, TimeUnit.SECONDS);
                assertThat(got).as("broadcast %d at bystander %d", n, i).isNotNull();
                assertThat(((Number) got).longValue()).isEqualTo(n);
                String value = "bystander-" + i + "-" + n;
                assertThat(sockets.get(i).emitWithAck("echo", value).get(10, TimeUnit.SECONDS).getString(0))
                        .isEqualTo(value);
            }
        }

        @Override
        public void close() {
            clients.forEach(ParleyClient::close);
        }
    }

    // ================================================================ offenders

    /** A hand-made WebSocket joined to "/"; returns it with its socket id. */
    private record WsOffender(HandMadeWebSocket ws, String socketId) {
    }

    private WsOffender wsJoined() throws IOException {
        HandMadeWebSocket ws = HandMadeWebSocket.open("127.0.0.1", server.port(), SIO + "?EIO=4&transport=websocket");
        assertThat(ws.readText()).startsWith("0{\"sid\":");
        ws.sendText("40");
        return new WsOffender(ws, socketIdOf(ws.readText().substring(1)));
    }

    /** A polling session joined to "/": its query and its socket id. */
    private record PollingOffender(String sid, String query, String socketId) {
    }

    private PollingOffender pollingJoined() throws Exception {
        RawHttp http = http();
        String sid = http.openPolling(SIO);
        String query = SIO + "?EIO=4&transport=polling&sid=" + sid;
        assertThat(http.post(query, "40").statusCode()).isEqualTo(200);
        String reply = http.get(query).body();
        return new PollingOffender(sid, query, socketIdOf(reply.substring(1)));
    }

    /** The socket id in a CONNECT reply {@code 0{"sid":"…"}}. */
    private static String socketIdOf(String connectReply) {
        assertThat(connectReply).startsWith("0{\"sid\":\"");
        int start = "0{\"sid\":\"".length();
        return connectReply.substring(start, connectReply.indexOf('"', start));
    }

    private RawHttp http() {
        return new RawHttp("http://127.0.0.1:" + server.port());
    }

    /** The offender's socket saw this disconnect reason, and its engine session is gone. */
    private void disconnectedWith(String socketId, String sid, DisconnectReason reason) {
        await().atMost(CLOSE_WITHIN).untilAsserted(() -> {
            assertThat(disconnects.get(socketId)).as("disconnect reason of the offender").isEqualTo(reason);
            if (sid != null) {
                assertThat(parley.engine().session(sid)).as("the offender's engine session").isNull();
            }
        });
    }

    /** A polling session is gone for its client: a GET is answered 400 Session ID unknown (or a last close packet). */
    private void pollingSessionGone(PollingOffender o) throws Exception {
        // A poll answered with the close packet may be followed by one more 200 (a noop, or the close
        // again) while the closing session is being forgotten on another thread (seen once on the merged
        // main, cause not established); then 400, within the wait.
        List<String> lastAnswers = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> r = http().get(o.query());
            if (r.statusCode() == 200) {
                lastAnswers.add(r.body());
            }
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        });
        assertThat(lastAnswers).as("polls answered 200 after the end: the close packet (last), then noops")
                .hasSizeLessThanOrEqualTo(2).allMatch(b -> b.matches("(?s)(.*\u001e)?[16]"));
        assertThat(parley.engine().session(o.sid())).isNull();
    }

    /**
     * GETs on a polling session until a packet equals {@code wanted}, answering pings and skipping
     * noops; fails on anything else or after 5 s.
     */
    private void pollUntil(PollingOffender o, String wanted) throws Exception {
        RawHttp http = http();
        long deadline = System.nanoTime() + CLOSE_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.get(o.query() + "&t=" + System.nanoTime());
            assertThat(r.statusCode()).as("poll: %s", r.body()).isEqualTo(200);
            for (String p : r.body().split("\u001e")) {
                if (p.equals("2")) {
                    assertThat(http.post(o.query(), "3").statusCode()).isEqualTo(200);
                } else if (p.equals(wanted)) {
                    return;
                } else {
                    assertThat(p).as("while waiting for %s in %s", wanted, r.body()).isEqualTo("6");
                }
            }
        }
        throw new AssertionError(wanted + " not received within " + CLOSE_WITHIN);
    }

    /** A raw HTTP/1.1 request on a plain socket, written as given; the caller reads or closes. */
    private Socket rawRequest(String head, byte[] body) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return s;
    }

    private String postHead(String query, String extraHeaders) {
        return "POST " + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nContent-Type: text/plain;charset=UTF-8\r\n" + extraHeaders + "\r\n";
    }

    /** The status of the response on {@code s}, reading its head only. */
    private static int status(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed in the response head: " + head);
            }
            head.write(b);
        }
        return Integer.parseInt(head.toString(StandardCharsets.ISO_8859_1).substring(9, 12));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    /** Writes on another thread: the server may close while the bytes are still going out. */
    private CompletableFuture<Void> sendAside(HandMadeWebSocket ws, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try {
                ws.sendRaw(bytes);
            } catch (IOException closedMeanwhile) {
                // the server stopped reading and closed: what the case is about
            }
        }, pool);
    }

    private int eventsReceived(String value) {
        AtomicInteger n = received.get(value);
        return n == null ? 0 : n.get();
    }

    // ================================================================ 1. truncated packets, frames and bodies

    /**
     * A Socket.IO packet cut inside its JSON ({@code 42["echo","cu}): a parse error on both
     * transports; the session closes with {@code parse error}.
     */
    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void aPacketCutInsideItsJsonIsAParseError(RawSocketIo.Kind kind) throws Exception {
        matrix(() -> {
            if (kind == RawSocketIo.Kind.WEBSOCKET) {
                WsOffender o = wsJoined();
                try (HandMadeWebSocket ws = o.ws()) {
                    ws.sendText("42[\"echo\",\"cu");
                    assertThat(ws.awaitClose().opcode()).isEqualTo(HandMadeWebSocket.CLOSE);
                }
                disconnectedWith(o.socketId(), null, DisconnectReason.PARSE_ERROR);
            } else {
                PollingOffender o = pollingJoined();
                // The Engine.IO payload is fine, so the POST is answered ok; the Socket.IO packet is not.
                assertThat(http().post(o.query(), "42[\"echo\",\"cu").statusCode()).isEqualTo(200);
                disconnectedWith(o.socketId(), null, DisconnectReason.PARSE_ERROR);
                pollingSessionGone(o);
            }
        });
    }

    /**
     * Polling only (a WebSocket carries binary as binary frames, no base64): a {@code b} segment cut
     * inside its base64 gets 400 and the session ends with {@code parse error}.
     */
    @Test
    void aBinarySegmentCutInsideItsBase64IsAParseErrorOnPolling() throws Exception {
        matrix(() -> {
            PollingOffender o = pollingJoined();
            HttpResponse<String> r = http().post(o.query(), "451-[\"echo\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID/");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
            disconnectedWith(o.socketId(), o.sid(), DisconnectReason.PARSE_ERROR);
            pollingSessionGone(o);
        });
    }

    /**
     * Polling only (its WebSocket counterpart is the frame cut then EOF): a POST whose Content-Length
     * promises 1,000 bytes, of which a whole, valid packet arrives, then the connection closes. The
     * packet must not be delivered (the body is incomplete: the client never sent it as such), and
     * the session ends with {@code transport error}, as the reference ends a session whose POST
     * breaks off.
     */
    @Test
    void aPostBodyCutShortByTheClientLeavingDeliversNothingAndEndsTheSession() throws Exception {
        AtomicInteger round = new AtomicInteger();
        matrix(() -> {
            PollingOffender o = pollingJoined();
            String value = "cut-" + round.incrementAndGet();
            try (Socket s = rawRequest(postHead(o.query(), "Content-Length: 1000\r\n"),
                    bytes("42[\"echo\",\"" + value + "\"]"))) {
                s.shutdownOutput(); // the body ends 970 bytes short
            }
            disconnectedWith(o.socketId(), o.sid(), DisconnectReason.TRANSPORT_ERROR);
            assertThat(eventsReceived(value)).as("events delivered from the cut body").isZero();
        });
    }

    /** WebSocket only (polling has no frames): a frame cut inside its header, then EOF. */
    @Test
    void aFrameCutInsideItsHeaderThenEofEndsTheSession() throws Exception {
        matrix(() -> {
            WsOffender o = wsJoined();
            byte[] frame = HandMadeWebSocket.frame(true, TEXT, bytes("42[\"echo\",\"" + "h".repeat(300) + "\"]"));
            try (HandMadeWebSocket ws = o.ws()) {
                ws.sendRaw(java.util.Arrays.copyOfRange(frame, 0, 3)); // 2 of its 4 length bytes... then gone
            }
            disconnectedWith(o.socketId(), null, DisconnectReason.TRANSPORT_CLOSE);
        });
    }

    /** WebSocket only: a frame announcing 300 bytes, 40 of them sent, then EOF; nothing is delivered. */
    @Test
    void aFrameCutInsideItsBodyThenEofDeliversNothingAndEndsTheSession() throws Exception {
        matrix(() -> {
            WsOffender o = wsJoined();
            byte[] frame = HandMadeWebSocket.frame(true, TEXT, bytes("42[\"echo\",\"body-cut\"," + "1,".repeat(140)
                    + "0]"));
            try (HandMadeWebSocket ws = o.ws()) {
                ws.sendRaw(java.util.Arrays.copyOfRange(frame, 0, 48));
            }
            disconnectedWith(o.socketId(), null, DisconnectReason.TRANSPORT_CLOSE);
            assertThat(eventsReceived("body-cut")).isZero();
        });
    }

    // ================================================================ 2. many small pieces over max-payload

    /**
     * A message in many small pieces adding up over max-payload: on WebSocket a text frame and 110
     * continuation frames of 1,000 bytes (closed with 1009, message too big); on polling a chunked
     * POST of 110 chunks of 1,000 bytes (413, the session ends with {@code transport error}).
     */
    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void piecesAddingUpOverMaxPayloadCloseTheSession(RawSocketIo.Kind kind) throws Exception {
        int pieces = MAX_PAYLOAD / 1000 + 10;
        matrix(() -> {
            if (kind == RawSocketIo.Kind.WEBSOCKET) {
                WsOffender o = wsJoined();
                try (HandMadeWebSocket ws = o.ws()) {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    all.writeBytes(HandMadeWebSocket.frame(false, TEXT, bytes("42[\"echo\",\"" + "f".repeat(989))));
                    for (int i = 1; i < pieces; i++) {
                        all.writeBytes(HandMadeWebSocket.frame(i == pieces - 1, CONTINUATION,
                                bytes("f".repeat(1000))));
                    }
                    CompletableFuture<Void> writing = sendAside(ws, all.toByteArray());
                    assertThat(ws.awaitClose().closeCode()).isEqualTo(1009);
                    writing.get(10, TimeUnit.SECONDS);
                }
                disconnectedWith(o.socketId(), null, DisconnectReason.TRANSPORT_CLOSE);
            } else {
                PollingOffender o = pollingJoined();
                ByteArrayOutputStream chunks = new ByteArrayOutputStream();
                for (int i = 0; i < pieces; i++) {
                    chunks.writeBytes(bytes("3e8\r\n" + "4" + "f".repeat(999) + "\r\n"));
                }
                chunks.writeBytes(bytes("0\r\n\r\n"));
                try (Socket s = rawRequest(postHead(o.query(), "Transfer-Encoding: chunked\r\n"), null)) {
                    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                        try {
                            s.getOutputStream().write(chunks.toByteArray());
                        } catch (IOException closedMeanwhile) {
                            // refused before the end: fine
                        }
                    }, pool);
                    assertThat(status(s)).isEqualTo(413);
                    writing.get(10, TimeUnit.SECONDS);
                }
                disconnectedWith(o.socketId(), o.sid(), DisconnectReason.TRANSPORT_ERROR);
            }
        });
    }

    // ================================================================ 3. invalid UTF-8

    /**
     * Bytes that are not UTF-8 ({@code C3 28}) where text is due: a WebSocket text frame is closed
     * with 1007 (RFC 6455, as {@code ws} does); a polling POST gets 400 and its session ends with
     * {@code parse error}, rather than having the bytes silently replaced by U+FFFD and delivered.
     */
    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void invalidUtf8IsRefusedAndEndsTheSession(RawSocketIo.Kind kind) throws Exception {
        byte[] payload = concat(bytes("42[\"echo\",\"bad-utf8"), new byte[] {(byte) 0xC3, 0x28}, bytes("\"]"));
        matrix(() -> {
            if (kind == RawSocketIo.Kind.WEBSOCKET) {
                WsOffender o = wsJoined();
                try (HandMadeWebSocket ws = o.ws()) {
                    ws.sendFrame(true, TEXT, payload);
                    assertThat(ws.awaitClose().closeCode()).isEqualTo(1007);
                }
                disconnectedWith(o.socketId(), null, DisconnectReason.TRANSPORT_CLOSE);
            } else {
                PollingOffender o = pollingJoined();
                try (Socket s = rawRequest(postHead(o.query(), "Content-Length: " + payload.length + "\r\n"),
                        payload)) {
                    assertThat(status(s)).isEqualTo(400);
                }
                disconnectedWith(o.socketId(), o.sid(), DisconnectReason.PARSE_ERROR);
            }
            assertThat(received.keySet()).noneMatch(v -> v.startsWith("bad-utf8"));
        });
    }

    // ================================================================ 4. overlapping requests on one sid

    /**
     * Polling only (a WebSocket has no request to overlap; a second WebSocket for one sid is refused
     * without ending the session, as in Node, see EngineProtocolTest): a second GET while one waits
     * gets 400, the waiting one is answered with a close packet, the session ends with
     * {@code transport error}.
     */
    @Test
    void concurrentGetPollsOnOneSidEndTheSession() throws Exception {
        matrix(() -> {
            PollingOffender o = pollingJoined();
            CompletableFuture<HttpResponse<String>> first = http().getAsync(o.query());
            await().atMost(CLOSE_WITHIN).until(() -> parley.engine().session(o.sid()) != null
                    && parley.engine().session(o.sid()).transport().isWritable());
            HttpResponse<String> second = http().get(o.query() + "&t=second");
            assertThat(second.statusCode()).isEqualTo(400);
            HttpResponse<String> firstAnswer = first.get(5, TimeUnit.SECONDS);
            assertThat(firstAnswer.statusCode()).isEqualTo(200);
            assertThat(firstAnswer.body()).endsWith("1");
            disconnectedWith(o.socketId(), o.sid(), DisconnectReason.TRANSPORT_ERROR);
        });
    }

    /** Polling only, as above: a second POST while one is still arriving gets 400 and ends the session. */
    @Test
    void overlappingPostsOnOneSidEndTheSession() throws Exception {
        matrix(() -> {
            PollingOffender o = pollingJoined();
            try (Socket slow = rawRequest(postHead(o.query(), "Content-Length: 1000\r\n"), bytes("42[\"ec"))) {
                // Noops until one overlaps the slow POST: those the server reads before the slow
                // POST's headers are plain POSTs, answered ok.
                RawHttp http = http();
                await().atMost(CLOSE_WITHIN).pollInterval(Duration.ofMillis(5))
                        .until(() -> http.post(o.query(), "6").statusCode() == 400);
                disconnectedWith(o.socketId(), o.sid(), DisconnectReason.TRANSPORT_ERROR);
            }
        });
    }

    // ================================================================ 5. namespaces and CONNECTs

    /**
     * 2,000 CONNECTs to 2,000 namespaces (all matching a dynamic parent) on one connection, sent at
     * once: the first {@link #MAX_NAMESPACES} are joined, every other one is answered with its own
     * CONNECT_ERROR "too many namespaces on this connection" (the limit answers per namespace, as
     * Node answers an unknown one; the connection itself is not ended), and no namespace is even
     * created for a refused CONNECT. When the offender leaves, none of its sockets remain.
     */
    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void thousandsOfNamespacesOnOneConnectionAreHeldToTheLimit(RawSocketIo.Kind kind) throws Exception {
        int count = 2000;
        matrix(() -> {
            int childrenBefore = parley.of(Pattern.compile("^/dyn-\\d+$")).children().size();
            try (RawSocketIo offender = RawSocketIo.open(kind, "http://127.0.0.1:" + server.port(), SIO)) {
                Object[] connects = new Object[count];
                for (int i = 0; i < count; i++) {
                    connects[i] = "0/dyn-" + i + ",";
                }
                if (kind == RawSocketIo.Kind.POLLING) {
                    offender.send(connects); // one POST
                } else {
                    offender.send(connects); // 2,000 frames
                }
                int joined = 0;
                int refused = 0;
                for (int i = 0; i < count; i++) {
                    String reply = offender.next();
                    if (reply.startsWith("0/dyn-") && reply.contains(",{\"sid\":")) {
                        joined++;
                    } else {
                        assertThat(reply).matches("4/dyn-\\d+,\\{\"message\":\"too many namespaces on this connection\"}");
                        refused++;
                    }
                }
                assertThat(joined).isEqualTo(MAX_NAMESPACES);
                assertThat(refused).isEqualTo(count - MAX_NAMESPACES);
                assertThat(parley.of(Pattern.compile("^/dyn-\\d+$")).children().size())
                        .as("namespaces created").isLessThanOrEqualTo(Math.max(childrenBefore, MAX_NAMESPACES));
                offender.send("1/dyn-0,"); // still served: it leaves one namespace cleanly
            }
        });
    }

    /**
     * A CONNECT flood: 2,000 CONNECTs to "/" and 2,000 to namespaces that do not exist, at once.
     * As the reference, each is answered (the same socket's id again; CONNECT_ERROR "Invalid
     * namespace") and the connection is not ended; the offender never holds more than one socket,
     * and a round trip after the flood still works on it.
     */
    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void aConnectFloodGetsOneSocketAndOneAnswerPerConnect(RawSocketIo.Kind kind) throws Exception {
        int count = 2000;
        matrix(() -> {
            try (RawSocketIo offender = RawSocketIo.open(kind, "http://127.0.0.1:" + server.port(), SIO)) {
                Object[] connects = new Object[2 * count];
                for (int i = 0; i < count; i++) {
                    connects[2 * i] = "0";
                    connects[2 * i + 1] = "0/nope-" + i + ",";
                }
                offender.send(connects);
                String first = null;
                int invalid = 0;
                for (int i = 0; i < 2 * count; i++) {
                    String reply = offender.next();
                    if (reply.startsWith("0{")) {
                        first = first == null ? reply : first;
                        assertThat(reply).isEqualTo(first);
                    } else {
                        assertThat(reply).matches("4/nope-\\d+,\\{\"message\":\"Invalid namespace\"}");
                        invalid++;
                    }
                }
                assertThat(invalid).isEqualTo(count);
                assertThat(parley.of("/").sockets()).containsKey(socketIdOf(first));
                offender.send("27[\"echo\",\"after the flood\"]");
                assertThat(offender.next()).isEqualTo("37[\"after the flood\"]");
            }
        });
    }

    // ================================================================ 6. half-open upgrades and handshakes

    /**
     * Upgrades left half-open, 20 at a time (the case is the polling-to-WebSocket upgrade, so it
     * spans both transports): half of them open the WebSocket and never send the probe, the other
     * half send {@code 2probe} and never the {@code 5}. Each WebSocket is closed by the server after
     * upgrade-timeout; each session stays on polling, still answers, and is closed by its client.
     */
    @Test
    void halfOpenUpgradesAreClosedAfterTheUpgradeTimeoutAndTheSessionStaysOnPolling() throws Exception {
        int count = 20;
        matrix(4, () -> {
            List<PollingOffender> sessions = new ArrayList<>();
            List<HandMadeWebSocket> upgrades = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                PollingOffender o = pollingJoined();
                sessions.add(o);
                HandMadeWebSocket ws = HandMadeWebSocket.open("127.0.0.1", server.port(),
                        SIO + "?EIO=4&transport=websocket&sid=" + o.sid());
                if (i % 2 == 1) {
                    ws.sendText("2probe");
                    assertThat(ws.readText()).isEqualTo("3probe");
                }
                upgrades.add(ws);
            }
            for (HandMadeWebSocket ws : upgrades) {
                try (ws) {
                    ws.awaitEnd();
                }
            }
            for (PollingOffender o : sessions) {
                assertThat(parley.engine().session(o.sid()).transportName()).isEqualTo("polling");
                assertThat(parley.engine().session(o.sid()).isUpgrading()).isFalse();
                RawHttp http = http();
                assertThat(http.post(o.query(), "421[\"echo\",\"still polling\"]").statusCode()).isEqualTo(200);
                pollUntil(o, "431[\"still polling\"]");
                assertThat(http.post(o.query(), "1").statusCode()).isEqualTo(200);
                disconnectedWith(o.socketId(), o.sid(), DisconnectReason.TRANSPORT_CLOSE);
            }
        });
    }

    /**
     * 50 WebSocket handshakes left half-sent (request line and some headers, no blank line), at
     * once: each is answered 408 and closed after http-header-timeout; no session is ever made.
     */
    @Test
    void halfSentHandshakesAreAnswered408AndClosed() throws Exception {
        int count = 50;
        matrix(3, () -> {
            List<Socket> halfSent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                halfSent.add(rawRequest("GET " + SIO + "?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\n", null));
            }
            for (Socket s : halfSent) {
                try (s) {
                    String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertThat(answer).startsWith("HTTP/1.1 408 ");
                } catch (SocketTimeoutException notClosed) {
                    throw new AssertionError("a half-sent handshake was not closed", notClosed);
                }
            }
        });
    }

    // ================================================================ 7. a handshake flood from many addresses

    private static final double FLOOD_RATE = 2;
    private static final int FLOOD_BURST = 5;
    private static final int FLOOD_PER_ADDRESS = 4;
    private static final int FLOOD_MAX_CONNECTIONS = 60;

    /**
     * 40 addresses (127.0.0.2 to 127.0.0.41) each make 10 handshakes at once, alternately polling
     * and WebSocket, against a server of its own with handshake-rate 2/s (burst 5),
     * max-connections-per-address 4 and max-connections 60, and connect-timeout 300 ms (the flood
     * joins no namespace). Every handshake is either admitted (200, 101) or refused with the
     * reference's status and JSON (429 too many handshakes; 503 too many connections from this
     * address; 503 server full); no address gets more than its burst plus its rate; the server never
     * holds more than 60 sessions; the admitted ones are closed by the connect timeout or their
     * client. The bystanders (127.0.0.1, connected first) keep their sessions throughout.
     */
    @Test
    void aHandshakeFloodFromManyAddressesIsRefusedWithReasonsAndNobodyElseNotices() throws Exception {
        ParleyServer shared = parley;
        StandaloneServer sharedServer = server;
        parley = new ParleyServer(ParleyOptions.builder().connectTimeout(300).engine(EngineOptions.builder()
                .pingInterval(1000).pingTimeout(1000).handshakeRate(FLOOD_RATE, FLOOD_BURST)
                .maxConnectionsPerAddress(FLOOD_PER_ADDRESS).maxConnections(FLOOD_MAX_CONNECTIONS).build()).build());
        parley.of("/").onConnection(this::serve);
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        try {
            long started = System.nanoTime();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger peakSessions = new AtomicInteger();
            matrix(5, () -> {
                List<CompletableFuture<int[]>> addresses = new ArrayList<>();
                for (int a = 2; a <= 41; a++) {
                    String from = "127.0.0." + a;
                    addresses.add(CompletableFuture.supplyAsync(() -> floodFrom(from, 10, peakSessions), pool));
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                for (CompletableFuture<int[]> f : addresses) {
                    int[] counts = f.get(30, TimeUnit.SECONDS); // admitted, refused
                    refused.addAndGet(counts[1]);
                    assertThat(counts[0]).as("handshakes admitted from one address")
                            .isLessThanOrEqualTo(FLOOD_BURST + (int) Math.ceil(FLOOD_RATE * (seconds + 30)));
                }
            });
            System.out.printf("[hostile] handshake flood: %d refused, at most %d sessions at once%n", refused.get(),
                    peakSessions.get());
            assertThat(refused).as("handshakes refused").hasPositiveValue();
            assertThat(peakSessions).as("most sessions seen at once").hasValueLessThanOrEqualTo(FLOOD_MAX_CONNECTIONS);
        } finally {
            parley.close();
            server.close();
            parley = shared;
            server = sharedServer;
        }
    }

    /** {@code count} handshakes from {@code from}, alternately polling and WebSocket: {admitted, refused}. */
    private int[] floodFrom(String from, int count, AtomicInteger peakSessions) {
        int admitted = 0;
        int refused = 0;
        String polling = SIO + "?EIO=4&transport=polling";
        String webSocket = SIO + "?EIO=4&transport=websocket";
        try {
            for (int i = 0; i < count; i++) {
                int status;
                String body;
                if (i % 2 == 0) {
                    SourceAddressHttp.Response r = SourceAddressHttp.get(from, server.port(), polling);
                    status = r.status();
                    body = r.body();
                } else {
                    RawUpgrade.Answer r = RawUpgrade.send(from, server.port(), webSocket, Map.of());
                    status = r.status();
                    body = r.body(); // a 101's socket is closed by RawUpgrade: the session ends with it
                }
                peakSessions.accumulateAndGet(parley.engine().sessionCount(), Math::max);
                if (status == 200 || status == 101) {
                    admitted++;
                    continue;
                }
                refused++;
                if (status == 429) {
                    assertThat(body).contains("too many handshakes");
                } else {
                    assertThat(status).isEqualTo(503);
                    assertThat(body).matches(".*(too many connections from this address|server full).*");
                }
            }
        } catch (IOException e) {
            throw new AssertionError("handshake from " + from + " failed", e);
        }
        return new int[] {admitted, refused};
    }
}
