package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.redis.RedisAdapterFactory;
import dev.parley.adapter.redis.RedisAdapterOptions;
import dev.parley.client.ClientOptions;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.server.Health;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.RedisServer;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The standalone server's health endpoints ({@code health-path}, on by default) over HTTP: UP and
 * 200 with the in-memory adapter; with a Redis adapter and a real {@code redis-server}, readiness goes
 * DOWN (503, adapter {@code reconnecting}) when Redis is killed while liveness stays UP, and both
 * are UP again once Redis is back; a stopping server is not ready.
 */
class HealthEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Answer(int status, String cacheControl, String contentType, JsonObject body) {
        JsonObject check(String name) {
            return body.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                    .filter(c -> c.getString("name").equals(name)).findFirst().orElseThrow();
        }
    }

    private static Answer get(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Cache-Control").orElse(null),
                r.headers().firstValue("Content-Type").orElse(null),
                Jsonp.PROVIDER.createReader(new StringReader(r.body())).readObject());
    }

    private static StandaloneServer serve(ParleyServer parley) throws Exception {
        return StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false, HealthPage.of(parley));
    }

    @Test
    void liveAndReadyAreUpWithTheInMemoryAdapter() throws Exception {
        ParleyServer parley = new ParleyServer(Main.STANDALONE_DEFAULTS);
        StandaloneServer server = serve(parley);
        try {
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/parley/health/");
            Answer ready = get(base.resolve("ready"));
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.cacheControl()).isEqualTo("no-store");
            assertThat(ready.contentType()).startsWith("application/json");
            assertThat(ready.body().getString("status")).isEqualTo("UP");
            assertThat(ready.check("parley").getString("status")).isEqualTo("UP");
            assertThat(ready.check("parley").getJsonObject("data").getString("state")).isEqualTo("running");
            assertThat(ready.check("parley-adapter").getString("status")).isEqualTo("UP");
            assertThat(ready.check("parley-adapter").getJsonObject("data").toString())
                    .isEqualTo("{\"adapter\":\"memory\",\"state\":\"connected\"}");
            Answer live = get(base.resolve("live"));
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.body().getString("status")).isEqualTo("UP");
            assertThat(live.cacheControl()).isEqualTo("no-store");
            assertThat(HTTP.send(HttpRequest.newBuilder(base.resolve("other")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        } finally {
            parley.close();
            server.close();
        }
    }

    @Test
    void readinessFollowsRedisDownAndBackWhileLivenessStaysUp() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            ParleyServer parley = new ParleyServer(Main.STANDALONE_DEFAULTS.toBuilder().adapterFactory(
                    new RedisAdapterFactory(RedisAdapterOptions.of(redis.url())
                            .withRequestTimeout(Duration.ofSeconds(2)))).build());
            StandaloneServer server = serve(parley);
            try {
                URI ready = URI.create("http://127.0.0.1:" + server.port() + "/parley/health/ready");
                URI live = URI.create("http://127.0.0.1:" + server.port() + "/parley/health/live");
                Answer up = get(ready);
                assertThat(up.status()).isEqualTo(200);
                assertThat(up.check("parley-adapter").getJsonObject("data").toString())
                        .isEqualTo("{\"adapter\":\"redis\",\"state\":\"connected\"}");

                redis.stop();
                await().atMost(WAIT).untilAsserted(() -> {
                    Answer down = get(ready);
                    assertThat(down.status()).isEqualTo(503);
                    assertThat(down.body().getString("status")).isEqualTo("DOWN");
                    assertThat(down.check("parley-adapter").getString("status")).isEqualTo("DOWN");
                    assertThat(down.check("parley-adapter").getJsonObject("data").getString("state"))
                            .isEqualTo("reconnecting");
                    assertThat(down.check("parley").getString("status")).isEqualTo("UP");
                    assertThat(down.cacheControl()).isEqualTo("no-store");
                });
                Answer stillLive = get(live);
                assertThat(stillLive.status()).isEqualTo(200);
                assertThat(stillLive.body().getString("status")).isEqualTo("UP");

                redis.restart();
                await().atMost(WAIT).untilAsserted(() -> {
                    Answer back = get(ready);
                    assertThat(back.status()).isEqualTo(200);
                    assertThat(back.check("parley-adapter").getJsonObject("data").getString("state"))
                            .isEqualTo("connected");
                });
            } finally {
                parley.close();
                server.close();
            }
        }
    }

    @Test
    void aStoppingServerIsNotReadyAndAStoppedOneNotLive() throws Exception {
        ParleyServer parley = new ParleyServer(ParleyOptions.defaults());
        // A socket's disconnect handler runs while close() is under way: what health says then.
        CompletableFuture<List<Health>> whileStopping = new CompletableFuture<>();
        parley.onConnection(socket -> socket.onDisconnect((reason, why) ->
                whileStopping.complete(List.of(parley.readiness(), parley.liveness()))));
        StandaloneServer server = serve(parley);
        try (ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + server.port()),
                ClientOptions.defaults().reconnection(false))) {
            client.socket("/", null).connected().get(5, TimeUnit.SECONDS);
            assertThat(parley.readiness().up()).isTrue();
            assertThat(parley.state()).isEqualTo(ParleyServer.State.RUNNING);
            parley.close();
        } finally {
            server.close();
        }
        List<Health> seen = whileStopping.get(5, TimeUnit.SECONDS);
        assertThat(seen.get(0).up()).as("ready while stopping").isFalse();
        assertThat(seen.get(0).checks().get(0).data()).containsEntry("state", "stopping");
        assertThat(seen.get(1).up()).as("live while stopping").isTrue();
        assertThat(parley.state()).isEqualTo(ParleyServer.State.STOPPED);
        assertThat(parley.readiness().up()).isFalse();
        assertThat(parley.liveness().up()).isFalse();
        assertThat(parley.readiness().checks().get(0).data()).containsEntry("state", "stopped");
    }

    @Test
    void healthFalseServesNothing() throws Exception {
        ParleyServer parley = new ParleyServer(Main.STANDALONE_DEFAULTS.toBuilder().health(false).build());
        assertThat(HealthPage.of(parley)).isEmpty();
        parley.close();
    }
}
