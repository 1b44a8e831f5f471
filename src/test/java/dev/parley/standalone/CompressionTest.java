package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import dev.parley.settings.SettingSource;
import dev.parley.settings.Settings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Compression on the wire of a real standalone server, read byte by byte: permessage-deflate
 * ({@code per-message-deflate}, its threshold, Socket.IO's {@code compress(false)}) on both
 * WebSocket write paths, and gzip/deflate of polling responses ({@code http-compression}) by
 * {@code Accept-Encoding}. Every compressed frame or body is inflated here and compared with what
 * the server emitted.
 */
class CompressionTest {

    private static final String WS = "/socket.io/?EIO=4&transport=websocket";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ParleyServer parley;
    private StandaloneServer server;
    private final BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> echoed = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    private void start(Map<String, String> flags) throws IOException {
        parley = new ParleyServer(Settings.options(ParleyOptions.defaults(),
                List.of(SettingSource.of("flag", "--", flags))));
        parley.onConnection(s -> {
            s.on("echo", (args, ack) -> echoed.add(args.getString(0)));
            connected.add(s);
        });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    private static String text(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; b.length() < n; i++) {
            b.append("word").append(i % 50).append(' ');
        }
        return b.substring(0, n);
    }

    private static String event(String name, String arg) {
        return "42[\"" + name + "\",\"" + arg + "\"]";
    }

    /** Opens a WebSocket session with {@code offer} and joins the main namespace; returns it with its server socket. */
    private DeflateWebSocket join(String offer, CompletableFuture<Socket> socket) throws Exception {
        DeflateWebSocket ws = DeflateWebSocket.open(server.port(), WS, offer);
        assertThat(ws.next().text()).startsWith("0{");
        ws.sendText("40");
        assertThat(ws.next().text()).startsWith("40{");
        socket.complete(connected.poll(10, TimeUnit.SECONDS));
        return ws;
    }

    @Test
    void permessageDeflateIsNotNegotiatedByDefaultAsInNode() throws Exception {
        start(Map.of());
        CompletableFuture<Socket> s = new CompletableFuture<>();
        try (DeflateWebSocket ws = join("permessage-deflate; client_max_window_bits", s)) {
            assertThat(ws.extensions()).as("the 101's Sec-WebSocket-Extensions").isNull();
            String big = text(4000);
            s.get().emit("big", big);
            DeflateWebSocket.Frame f = ws.next();
            assertThat(f.rsv1()).isFalse();
            assertThat(f.text()).isEqualTo(event("big", big));
        }
    }

    @Test
    void whenOnFramesFromTheThresholdAreCompressedUnlessSentWithCompressFalse() throws Exception {
        start(Map.of("per-message-deflate", "true", "per-message-deflate-threshold", "1024"));
        CompletableFuture<Socket> s = new CompletableFuture<>();
        try (DeflateWebSocket ws = join("permessage-deflate; client_max_window_bits", s)) {
            assertThat(ws.extensions()).isEqualTo("permessage-deflate; server_no_context_takeover");
            Socket socket = s.get();
            String big = text(4000);
            String small = text(900);

            socket.emit("big", big);
            DeflateWebSocket.Frame f = ws.next();
            assertThat(f.rsv1()).as("a message above the threshold").isTrue();
            assertThat(f.text()).isEqualTo(event("big", big));
            assertThat(f.payload().length).as("compressed size").isLessThan(big.length() / 4);

            socket.emit("small", small);
            f = ws.next();
            assertThat(f.rsv1()).as("a message below the threshold").isFalse();
            assertThat(f.text()).isEqualTo(event("small", small));

            socket.compress(false).emit("big", big);
            f = ws.next();
            assertThat(f.rsv1()).as("socket.compress(false)").isFalse();
            assertThat(f.text()).isEqualTo(event("big", big));

            parley.of("/").to(socket.id()).emit("room", big);
            f = ws.next();
            assertThat(f.rsv1()).as("a broadcast").isTrue();
            assertThat(f.text()).isEqualTo(event("room", big));

            parley.of("/").to(socket.id()).compress(false).emit("room", big);
            f = ws.next();
            assertThat(f.rsv1()).as("a broadcast with compress(false)").isFalse();
            assertThat(f.text()).isEqualTo(event("room", big));

            socket.emitWithAck(Duration.ofSeconds(5), "asked", big);
            f = ws.next();
            assertThat(f.rsv1()).isTrue();
            assertThat(f.text()).startsWith("420[\"asked\",\"" + big.substring(0, 10));

            // A binary attachment: the placeholder packet is short, the attachment's frame compressed.
            byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
            socket.emit("bin", (Object) bytes);
            f = ws.next();
            assertThat(f.rsv1()).isFalse();
            assertThat(f.text()).isEqualTo("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
            f = ws.next();
            assertThat(f.opcode()).isEqualTo(2);
            assertThat(f.rsv1()).isTrue();
            assertThat(f.message()).isEqualTo(bytes);

            // The client's compressed messages, its context kept from one to the next, and a plain one.
            String first = text(3000);
            String second = text(3001);
            ws.sendCompressed(1, event("echo", first).getBytes(StandardCharsets.UTF_8));
            ws.sendCompressed(1, event("echo", second).getBytes(StandardCharsets.UTF_8));
            ws.sendText(event("echo", "plain"));
            assertThat(echoed.poll(10, TimeUnit.SECONDS)).isEqualTo(first);
            assertThat(echoed.poll(10, TimeUnit.SECONDS)).isEqualTo(second);
            assertThat(echoed.poll(10, TimeUnit.SECONDS)).isEqualTo("plain");
            assertThat(socket.connected()).isTrue();
        }
    }

    @Test
    void thePortableWritePathCompressesFromTheThresholdToo() throws Exception {
        start(Map.of("per-message-deflate", "true", "websocket-writes", "portable"));
        CompletableFuture<Socket> s = new CompletableFuture<>();
        try (DeflateWebSocket ws = join("permessage-deflate", s)) {
            assertThat(ws.extensions()).isEqualTo("permessage-deflate; server_no_context_takeover");
            String big = text(5000);
            s.get().emit("big", big);
            DeflateWebSocket.Frame f = ws.next();
            assertThat(f.rsv1()).isTrue();
            assertThat(f.text()).isEqualTo(event("big", big));
            s.get().emit("small", "x");
            f = ws.next();
            assertThat(f.rsv1()).isFalse();
            assertThat(f.text()).isEqualTo(event("small", "x"));
        }
    }

    @Test
    void anOfferForASmallerServerWindowIsDeclined() throws Exception {
        start(Map.of("per-message-deflate", "true"));
        CompletableFuture<Socket> s = new CompletableFuture<>();
        try (DeflateWebSocket ws = join("permessage-deflate; server_max_window_bits=10", s)) {
            assertThat(ws.extensions()).isNull();
            String big = text(4000);
            s.get().emit("big", big);
            DeflateWebSocket.Frame f = ws.next();
            assertThat(f.rsv1()).isFalse();
            assertThat(f.text()).isEqualTo(event("big", big));
        }
    }

    @Test
    void aMessageInflatingPastMaxPayloadClosesItsConnectionOnly() throws Exception {
        start(Map.of("per-message-deflate", "true", "max-payload", "100000"));
        CompletableFuture<Socket> bystander = new CompletableFuture<>();
        CompletableFuture<Socket> offender = new CompletableFuture<>();
        try (DeflateWebSocket other = join("permessage-deflate", bystander);
             DeflateWebSocket bomb = join("permessage-deflate", offender)) {
            CompletableFuture<String> gone = new CompletableFuture<>();
            offender.get().onDisconnect((reason, description) -> gone.complete(reason.wire()));
            // 5 MB of one letter deflates to a few KB: well under max-payload on the wire.
            byte[] huge = event("echo", "a".repeat(5_000_000)).getBytes(StandardCharsets.UTF_8);
            byte[] compressed = bomb.compress(huge);
            assertThat(compressed.length).isLessThan(100_000);
            bomb.send(true, true, 1, compressed);
            assertThat(bomb.awaitCloseCode()).as("close code").isEqualTo(1002);
            assertThat(gone.get(10, TimeUnit.SECONDS)).isIn("transport close", "transport error");
            assertThat(echoed).isEmpty();
            // Everyone else is served as before.
            String big = text(2000);
            bystander.get().emit("big", big);
            DeflateWebSocket.Frame f = other.next();
            assertThat(f.rsv1()).isTrue();
            assertThat(f.text()).isEqualTo(event("big", big));
            other.sendCompressed(1, event("echo", big).getBytes(StandardCharsets.UTF_8));
            assertThat(echoed.poll(10, TimeUnit.SECONDS)).isEqualTo(big);
        }
    }

    @Test
    void bytesThatAreNotDeflateDataCloseTheConnection() throws Exception {
        start(Map.of("per-message-deflate", "true"));
        CompletableFuture<Socket> s = new CompletableFuture<>();
        try (DeflateWebSocket ws = join("permessage-deflate", s)) {
            ws.send(true, true, 1, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x12, 0x34});
            assertThat(ws.awaitCloseCode()).isEqualTo(1002);
            await().atMost(Duration.ofSeconds(10)).until(() -> !s.get().connected());
        }
    }

    // ---------------------------------------------------------------- polling

    /** A polling session joined to the main namespace; returns its sid. */
    private String pollingSession(CompletableFuture<Socket> socket) throws Exception {
        HttpResponse<byte[]> open = get("/socket.io/?EIO=4&transport=polling", "gzip");
        String body = decoded(open); // compressed too when the threshold is below its length
        assertThat(body).startsWith("0{");
        String sid = body.replaceAll(".*\"sid\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(uri("/socket.io/?EIO=4&transport=polling&sid="
                + sid)).POST(HttpRequest.BodyPublishers.ofString("40")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(decoded(poll(sid, null))).startsWith("40{");
        socket.complete(connected.poll(10, TimeUnit.SECONDS));
        return sid;
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private HttpResponse<byte[]> get(String pathAndQuery, String acceptEncoding) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    private HttpResponse<byte[]> poll(String sid, String acceptEncoding) throws Exception {
        return get("/socket.io/?EIO=4&transport=polling&sid=" + sid, acceptEncoding);
    }

    /** The body as the client reads it: decompressed per its Content-Encoding. */
    private static String decoded(HttpResponse<byte[]> r) throws IOException {
        String coding = r.headers().firstValue("Content-Encoding").orElse(null);
        InputStream in = new ByteArrayInputStream(r.body());
        if ("gzip".equals(coding)) {
            in = new GZIPInputStream(in);
        } else if ("deflate".equals(coding)) {
            in = new InflaterInputStream(in);
        } else {
            assertThat(coding).isNull();
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String coding(HttpResponse<byte[]> r) {
        return r.headers().firstValue("Content-Encoding").orElse(null);
    }

    @Test
    void pollingResponsesFromTheThresholdAreCompressedAsTheClientAccepts() throws Exception {
        start(Map.of());
        CompletableFuture<Socket> s = new CompletableFuture<>();
        String sid = pollingSession(s);
        Socket socket = s.get();
        String big = text(4000);

        socket.emit("big", big);
        HttpResponse<byte[]> r = poll(sid, "gzip, deflate, br");
        assertThat(coding(r)).isEqualTo("gzip");
        assertThat(r.headers().allValues("Vary")).contains("Accept-Encoding");
        assertThat(r.body().length).isLessThan(big.length() / 4);
        assertThat(decoded(r)).isEqualTo(event("big", big));

        socket.emit("small", "x");
        r = poll(sid, "gzip");
        assertThat(coding(r)).as("below the threshold").isNull();
        assertThat(r.headers().allValues("Vary")).contains("Accept-Encoding");
        assertThat(decoded(r)).isEqualTo(event("small", "x"));

        socket.emit("big", big);
        r = poll(sid, null);
        assertThat(coding(r)).as("no Accept-Encoding").isNull();
        assertThat(decoded(r)).isEqualTo(event("big", big));

        socket.emit("big", big);
        r = poll(sid, "deflate, gzip;q=0.5");
        assertThat(coding(r)).as("the client prefers deflate").isEqualTo("deflate");
        assertThat(decoded(r)).isEqualTo(event("big", big));

        socket.emit("big", big);
        r = poll(sid, "gzip;q=0, identity");
        assertThat(coding(r)).as("gzip refused").isNull();
        assertThat(decoded(r)).isEqualTo(event("big", big));

        socket.compress(false).emit("big", big);
        r = poll(sid, "gzip");
        assertThat(coding(r)).as("only packets sent with compress(false)").isNull();
        assertThat(decoded(r)).isEqualTo(event("big", big));

        // engine.io's rule: one compressible packet in the payload makes it compressed.
        socket.compress(false).emit("big", big);
        socket.emit("small", "x");
        r = poll(sid, "gzip");
        assertThat(coding(r)).isEqualTo("gzip");
        assertThat(decoded(r)).isEqualTo(event("big", big) + "\u001e" + event("small", "x"));

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        socket.emit("bin", (Object) bytes);
        r = poll(sid, "gzip");
        assertThat(coding(r)).isEqualTo("gzip");
        String payload = decoded(r);
        assertThat(payload).startsWith("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]\u001eb");
        assertThat(java.util.Base64.getDecoder().decode(payload.substring(payload.indexOf("\u001eb") + 2)))
                .isEqualTo(bytes);
    }

    @Test
    void httpCompressionOffSendsEveryPollResponseAsIs() throws Exception {
        start(Map.of("http-compression", "false"));
        CompletableFuture<Socket> s = new CompletableFuture<>();
        String sid = pollingSession(s);
        String big = text(4000);
        s.get().emit("big", big);
        HttpResponse<byte[]> r = poll(sid, "gzip");
        assertThat(coding(r)).isNull();
        assertThat(r.headers().allValues("Vary")).doesNotContain("Accept-Encoding");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(event("big", big));
    }

    @Test
    void theThresholdsAreSettings() throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("http-compression-threshold", "10");
        flags.put("per-message-deflate", "true");
        flags.put("per-message-deflate-threshold", "10");
        start(flags);
        CompletableFuture<Socket> s = new CompletableFuture<>();
        try (DeflateWebSocket ws = join("permessage-deflate", s)) {
            s.get().emit("short", "just over ten");
            DeflateWebSocket.Frame f = ws.next();
            assertThat(f.rsv1()).isTrue();
            assertThat(f.text()).isEqualTo(event("short", "just over ten"));
        }
        CompletableFuture<Socket> p = new CompletableFuture<>();
        String sid = pollingSession(p);
        p.get().emit("short", "just over ten");
        HttpResponse<byte[]> r = poll(sid, "gzip");
        assertThat(coding(r)).isEqualTo("gzip");
        assertThat(decoded(r)).isEqualTo(event("short", "just over ten"));
    }
}
