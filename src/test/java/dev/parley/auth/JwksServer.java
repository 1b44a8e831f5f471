package dev.parley.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** Serves a JWK set on 127.0.0.1 at a random port and counts how often it is fetched. */
final class JwksServer implements AutoCloseable {

    private static final String PATH = "/jwks.json";

    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile String body;
    private volatile int failureStatus;

    private JwksServer(HttpServer server, JWKSet keys) {
        this.server = server;
        serve(keys);
        server.createContext(PATH, this::handle);
    }

    static JwksServer start(JWKSet keys) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        JwksServer jwks = new JwksServer(server, keys);
        server.start();
        return jwks;
    }

    /** Serves these (public) keys from now on. */
    void serve(JWKSet keys) {
        body = keys.toString(true);
    }

    /** Answers every fetch from now on with this status and no keys. */
    void failWith(int status) {
        failureStatus = status;
    }

    int fetches() {
        return fetches.get();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    private void handle(HttpExchange exchange) throws IOException {
        fetches.incrementAndGet();
        try (exchange) {
            int status = failureStatus;
            byte[] bytes = (status == 0 ? body : "unavailable").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", status == 0 ? "application/jwk-set+json" : "text/plain");
            exchange.sendResponseHeaders(status == 0 ? 200 : status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
