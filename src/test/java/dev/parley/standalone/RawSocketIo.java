package dev.parley.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;

/**
 * A raw Socket.IO connection over either transport, for tests that must hold on both: Socket.IO
 * packets go out as Engine.IO messages exactly as given (so a test can send what no real client
 * would), and come back as the text after the Engine.IO {@code 4}. Pings are answered.
 */
abstract class RawSocketIo implements AutoCloseable {

    /** The transports a hostile-input case runs on. */
    enum Kind { WEBSOCKET, POLLING }

    static RawSocketIo open(Kind kind, String base, String path) throws Exception {
        return kind == Kind.WEBSOCKET ? new OverWebSocket(base, path) : new OverPolling(base, path);
    }

    /** Sends Socket.IO packets (their text, without the Engine.IO 4) and binary attachments, in order. */
    abstract void send(Object... packetsAndAttachments) throws Exception;

    /** The next Socket.IO packet's text; fails after 5 s. */
    abstract String next() throws Exception;

    /** Waits until the server ends the session, skipping packets before that; fails after {@code timeout}. */
    abstract void awaitClosed(Duration timeout) throws Exception;

    /** Joins the main namespace and returns the CONNECT reply. */
    String join() throws Exception {
        send("0");
        String reply = next();
        if (!reply.startsWith("0{\"sid\":")) {
            throw new AssertionError("CONNECT refused: " + reply);
        }
        return reply;
    }

    private static final class OverWebSocket extends RawSocketIo {
        private final RawWebSocket ws;

        OverWebSocket(String base, String path) throws InterruptedException {
            ws = RawWebSocket.connect(base.replace("http:", "ws:") + path + "?EIO=4&transport=websocket");
            Object open = ws.next();
            if (!(open instanceof String s) || !s.startsWith("0{")) {
                throw new AssertionError("no open packet: " + open);
            }
        }

        @Override
        void send(Object... packets) {
            for (Object p : packets) {
                if (p instanceof byte[] b) {
                    ws.send(b);
                } else {
                    ws.send("4" + p);
                }
            }
        }

        @Override
        String next() throws InterruptedException {
            while (true) {
                Object e = ws.next();
                if ("2".equals(e)) {
                    ws.send("3");
                } else if (e instanceof String s && s.startsWith("4")) {
                    return s.substring(1);
                } else {
                    throw new AssertionError("expected a message, got " + e);
                }
            }
        }

        @Override
        void awaitClosed(Duration timeout) throws InterruptedException {
            ws.awaitClose(timeout);
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    private static final class OverPolling extends RawSocketIo {
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final String url;
        private final Deque<String> received = new ArrayDeque<>();
        private boolean closed;

        OverPolling(String base, String path) throws Exception {
            HttpResponse<String> open = get(base + path + "?EIO=4&transport=polling", Duration.ofSeconds(5));
            if (open.statusCode() != 200 || !open.body().startsWith("0{\"sid\":\"")) {
                throw new AssertionError("handshake failed: " + open.statusCode() + " " + open.body());
            }
            int start = "0{\"sid\":\"".length();
            url = base + path + "?EIO=4&transport=polling&sid=" + open.body().substring(start,
                    open.body().indexOf('"', start));
        }

        @Override
        void send(Object... packets) throws Exception {
            StringBuilder body = new StringBuilder();
            for (Object p : packets) {
                if (body.length() > 0) {
                    body.append('\u001e');
                }
                body.append(p instanceof byte[] b ? "b" + Base64.getEncoder().encodeToString(b) : "4" + p);
            }
            post(body.toString());
        }

        private int post(String body) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        }

        private static HttpResponse<String> get(String url, Duration timeout) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }

        /** One poll: queues the messages it carries, answers pings, notes a close. */
        private void poll(Duration timeout) throws Exception {
            HttpResponse<String> r = get(url, timeout);
            if (r.statusCode() != 200) {
                closed = true; // the session is gone ("Session ID unknown")
                return;
            }
            for (String p : List.of(r.body().split("\u001e"))) {
                if (p.equals("2")) {
                    post("3");
                } else if (p.equals("1")) {
                    closed = true;
                } else if (p.startsWith("4")) {
                    received.add(p.substring(1));
                }
            }
        }

        @Override
        String next() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (received.isEmpty()) {
                if (closed || System.nanoTime() > deadline) {
                    throw new AssertionError(closed ? "session closed" : "nothing received within 5 s");
                }
                poll(Duration.ofSeconds(5));
            }
            return received.poll();
        }

        @Override
        void awaitClosed(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("session not closed within " + timeout.toMillis() + " ms");
                }
                poll(Duration.ofNanos(left));
            }
        }

        @Override
        public void close() {
            if (!closed) {
                try {
                    post("1");
                } catch (Exception ignored) {
                    // the server may have ended the session already
                }
            }
        }
    }
}
