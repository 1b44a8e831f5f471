package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.engine.EngineOptions;
import dev.parley.engine.EngineServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public Engine.IO suite's "close / HTTP long-polling / forcefully closes the session": the GET
 * poll and the POST {@code 1} are sent at once, so the server may read either first (before the fix,
 * Parley read the POST first about one run in seven and answered the poll 400). Whichever wins, the
 * poll is answered with a noop and the next poll is refused, every time. The heartbeat is the
 * default 25 s here so that a ping on a loaded machine cannot answer the poll instead.
 */
class PollCloseRaceTest {

    private static final String PATH = "/engine.io/";
    private static EngineServer echo;
    private static StandaloneServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() throws Exception {
        echo = ConformanceApp.echoEngine(EngineOptions.builder().path(PATH).build());
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(echo, false)), false);
        http = new RawHttp("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        echo.close();
        server.close();
    }

    @Test
    void aPollRacingTheClosePacketIsAnsweredWithANoopWhicheverArrivesFirst() throws Exception {
        for (int i = 0; i < 60; i++) {
            String sid = http.openPolling(PATH);
            String poll = PATH + "?EIO=4&transport=polling&sid=" + sid;
            CompletableFuture<HttpResponse<String>> polled = http.getAsync(poll);
            CompletableFuture<HttpResponse<String>> posted = http.sendAsync("POST", poll, "1");
            assertThat(posted.get().statusCode()).as("POST, round " + i).isEqualTo(200);
            assertThat(polled.get().statusCode()).as("poll status, round " + i).isEqualTo(200);
            assertThat(polled.get().body()).as("poll body, round " + i).isEqualTo("6");
            assertThat(http.get(poll).statusCode()).as("next poll, round " + i).isEqualTo(400);
        }
        assertThat(echo.sessionCount()).isZero();
    }
}
