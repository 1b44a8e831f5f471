package dev.parley.standalone;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP/1.1 requests for the long-polling protocol tests. */
final class RawHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    RawHttp(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return CLIENT.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
        return CLIENT.sendAsync(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return send("POST", pathAndQuery, body);
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body) throws IOException, InterruptedException {
        return CLIENT.send(request(pathAndQuery).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> sendAsync(String method, String pathAndQuery, String body) {
        return CLIENT.sendAsync(request(pathAndQuery).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> sendWithHeader(String method, String pathAndQuery, String header, String value)
            throws IOException, InterruptedException {
        return CLIENT.send(request(pathAndQuery).header(header, value)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a polling session at {@code path} and returns its sid. */
    String openPolling(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path + "?EIO=4&transport=polling");
        if (r.statusCode() != 200 || !r.body().startsWith("0{\"sid\":\"")) {
            throw new AssertionError("handshake failed: " + r.statusCode() + " " + r.body());
        }
        int start = "0{\"sid\":\"".length();
        return r.body().substring(start, r.body().indexOf('"', start));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10));
    }
}
