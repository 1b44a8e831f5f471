package dev.parley.client;

import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP long-polling transport over {@link HttpClient}'s asynchronous API: one GET at a time waits for what
 * the server has (its response read, and handed to the sink in order, before the next GET leaves), one POST at a
 * time carries what the session gathered meanwhile, packets joined by {@link EngineCodec#SEPARATOR} with binary
 * ones as {@code b<base64>} ({@link EngineCodec#encodePayload}). Responses are handled on the HttpClient's
 * executor (the client's {@code parley-client-http} threads). A failed request or a status other than 200 ends
 * the transport ("transport error"). {@link #pause} stops polling once the GET and POST in flight completed, for
 * an upgrade.
 */
final class PollingTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(PollingTransport.class.getName());

    private final HttpClient http;
    private final URI uri;
    private final Map<String, String> headers;
    private final Sink sink;
    /** Guards the fields below. */
    private final Object lock = new Object();
    private boolean getInFlight;
    private boolean postInFlight;
    private boolean paused;
    private boolean closed;
    private Runnable onPaused;
    /** The GET in flight's exchange (not the stage reading it), so close can wait for the exchange itself. */
    private CompletableFuture<?> get;
    /** GETs sent, for each one's token. */
    private long polls;

    PollingTransport(HttpClient http, EngineAddress address, String sid, Map<String, String> headers, Sink sink) {
        this.http = http;
        this.uri = address.polling(sid);
        this.headers = headers;
        this.sink = sink;
    }

    /**
     * The handshake: {@code GET …&transport=polling}, blocking up to {@code timeoutMillis}; returns the packets of
     * its response, an OPEN first.
     *
     * @throws IOException when the request fails, the status is not 200 or the first packet is not an OPEN
     */
    static List<EnginePacket> handshake(HttpClient http, EngineAddress address, Map<String, String> headers,
            long timeoutMillis) throws IOException, InterruptedException {
        URI uri = address.polling(null);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeoutMillis)).GET();
        headers.forEach(b::header);
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("polling handshake with " + uri + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
        try {
            List<EnginePacket> packets = EngineCodec.decodePayload(response.body());
            if (packets.get(0).type() != dev.parley.protocol.engineio.EnginePacketType.OPEN) {
                throw new IOException("polling handshake with " + uri + ": no OPEN packet first");
            }
            return packets;
        } catch (MalformedPacketException e) {
            throw new IOException("polling handshake with " + uri + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "polling";
    }

    /** Starts the GET loop. */
    void start() {
        poll();
    }

    private void poll() {
        synchronized (lock) {
            if (closed || paused) {
                return;
            }
            getInFlight = true;
            // A token per GET, as engine.io-client's "t": the JDK's HttpClient may send a GET again by itself
            // when a reused connection breaks before the response is read; the server answers the same token
            // with the same packets, where a new poll would get the next ones and leave a hole.
            HttpRequest poll = request(URI.create(uri + "&t=" + Long.toString(++polls, 36))).GET().build();
            CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(poll,
                    HttpResponse.BodyHandlers.ofString());
            get = exchange;
            exchange.whenComplete(this::polled);
        }
    }

    private HttpRequest.Builder request() {
        return request(uri);
    }

    private HttpRequest.Builder request(URI target) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target);
        headers.forEach(b::header);
        return b;
    }

    private void polled(HttpResponse<String> response, Throwable error) {
        // the GET counts as in flight until its packets were handed over: a pause (an upgrade) must not complete,
        // and the WebSocket take over, while packets read before it are still being delivered
        synchronized (lock) {
            if (closed) {
                getInFlight = false;
                return;
            }
        }
        if (failed(response, error, "GET")) {
            return;
        }
        List<EnginePacket> packets;
        try {
            packets = EngineCodec.decodePayload(response.body());
        } catch (MalformedPacketException e) {
            LOG.warning("server sent a malformed payload: " + e.getMessage());
            end("parse error");
            return;
        }
        for (EnginePacket p : packets) {
            synchronized (lock) {
                if (closed) {
                    getInFlight = false;
                    return;
                }
            }
            sink.packet(this, p);
        }
        synchronized (lock) {
            getInFlight = false;
        }
        pausedIfIdle();
        poll();
    }

    /** @return whether the request failed, the transport then ended */
    private boolean failed(HttpResponse<String> response, Throwable error, String what) {
        if (error != null) {
            LOG.log(Level.FINE, "polling " + what + " failed", error);
            end("transport error");
            return true;
        }
        if (response.statusCode() != 200) {
            LOG.fine(() -> "polling " + what + ": HTTP " + response.statusCode() + " " + response.body());
            end("transport error");
            return true;
        }
        return false;
    }

    private void end(String reason) {
        synchronized (lock) {
            getInFlight = false;
            if (closed) {
                return;
            }
            closed = true;
        }
        sink.closed(this, reason);
    }

    @Override
    public boolean writable() {
        synchronized (lock) {
            return !closed && !postInFlight;
        }
    }

    @Override
    public void write(List<EnginePacket> packets) throws IOException {
        HttpRequest r = request().header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(EngineCodec.encodePayload(packets))).build();
        synchronized (lock) {
            if (closed) {
                throw new IOException("polling transport closed");
            }
            postInFlight = true;
        }
        post(r, true);
    }

    /**
     * Sends a POST; when it failed on a connection the server was closing as idle (no response byte, see
     * {@link StaleConnection}) it is sent once more, on a fresh connection: the JDK's HttpClient does not, and
     * a server's {@code http-keep-alive-timeout} would otherwise end the transport now and then.
     */
    private void post(HttpRequest r, boolean mayRetry) {
        http.sendAsync(r, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            if (error != null && mayRetry && StaleConnection.isStale(error) && !isClosed()) {
                LOG.log(Level.FINE, "polling POST failed on a connection closed as idle; sending it again", error);
                post(r, false);
            } else {
                posted(response, error);
            }
        });
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private void posted(HttpResponse<String> response, Throwable error) {
        synchronized (lock) {
            postInFlight = false;
            if (closed) {
                return;
            }
        }
        if (failed(response, error, "POST")) {
            return;
        }
        pausedIfIdle();
        sink.drained(this);
    }

    /**
     * Stops polling once no GET and no POST is in flight, then runs {@code whenIdle} (at once if idle now, else on
     * the thread that completed the last request). No new GET leaves afterwards.
     */
    void pause(Runnable whenIdle) {
        boolean idle;
        synchronized (lock) {
            paused = true;
            idle = !getInFlight && !postInFlight;
            onPaused = idle ? null : whenIdle;
        }
        if (idle) {
            whenIdle.run();
        }
    }

    private void pausedIfIdle() {
        Runnable r;
        synchronized (lock) {
            if (!paused || onPaused == null || getInFlight || postInFlight) {
                return;
            }
            r = onPaused;
            onPaused = null;
        }
        r.run();
    }

    /**
     * Tells the server the session ends (a CLOSE packet) and stops; the future completes once that POST and the
     * GET in flight ended (the server answers a waiting GET when the session closes), so the caller can wait for
     * them before stopping the HttpClient's executor: an exchange left pending would keep the JDK's HttpClient,
     * and its selector thread, alive.
     */
    CompletableFuture<Void> closeSession() {
        CompletableFuture<?> g;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            g = getInFlight ? get : null;
        }
        CompletableFuture<?> post = http.sendAsync(request().header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("1")).build(), HttpResponse.BodyHandlers.discarding());
        return CompletableFuture.allOf(post, g == null ? post : g).handle((v, e) -> null);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true; // a GET still in flight is ignored when it completes
        }
    }
}
