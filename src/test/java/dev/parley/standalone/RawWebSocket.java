package dev.parley.standalone;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare WebSocket client for protocol tests (the JDK's), recording every frame and the close in
 * one queue so tests can await them in order: text frames as {@code String}, binary frames as
 * {@code byte[]}, the close as a {@link Closed}. A refused upgrade also counts as a close.
 */
final class RawWebSocket implements WebSocket.Listener, AutoCloseable {

    /** The connection ended, with the close code (1006 when there was no close frame). */
    record Closed(int code, String reason) {
    }

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private volatile WebSocket ws;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();

    static RawWebSocket connect(String url) {
        return connect(url, Map.of());
    }

    /** Connects with extra request headers ({@code Origin}, {@code Authorization}...). */
    static RawWebSocket connect(String url, Map<String, String> headers) {
        RawWebSocket client = new RawWebSocket();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        builder.buildAsync(URI.create(url), client)
                .whenComplete((w, e) -> {
                    if (e != null) {
                        client.events.add(new Closed(1006, "upgrade refused: " + e.getMessage()));
                        client.opened.complete(null);
                    }
                });
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        opened.complete(null);
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            events.add(text.toString());
            text.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            events.add(binary.toByteArray());
            binary.reset();
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Closed(1006, String.valueOf(error)));
    }

    /** The next frame or close, failing the test after the timeout. */
    Object next(Duration timeout) throws InterruptedException {
        Object e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("nothing received within " + timeout.toMillis() + " ms");
        }
        return e;
    }

    Object next() throws InterruptedException {
        return next(Duration.ofSeconds(5));
    }

    /** The next text frame that is not a ping ("2"). */
    Object nextIgnoringPings() throws InterruptedException {
        while (true) {
            Object e = next();
            if (!"2".equals(e)) {
                return e;
            }
        }
    }

    /** Waits until the connection is closed, skipping any frames before it. */
    Closed awaitClose(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Object e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("connection not closed within " + timeout.toMillis() + " ms");
            }
            if (e instanceof Closed c) {
                return c;
            }
        }
    }

    void send(String frame) {
        awaitOpen();
        ws.sendText(frame, true).join();
    }

    void send(byte[] frame) {
        awaitOpen();
        ws.sendBinary(ByteBuffer.wrap(frame), true).join();
    }

    private void awaitOpen() {
        opened.orTimeout(5, TimeUnit.SECONDS).join();
        if (ws == null) {
            throw new AssertionError("the WebSocket did not open");
        }
    }

    @Override
    public void close() {
        WebSocket w = ws;
        if (w != null && !w.isOutputClosed()) {
            w.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        if (w != null) {
            w.abort();
        }
    }
}
