package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.engine.EngineOptions;
import dev.parley.engine.EngineServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An HTTP client may send a long-polling GET again by itself when its connection breaks before the response is read
 * (the JDK's HttpClient and browsers retry idempotent requests on a reused connection). The packets of the lost
 * response were taken from the session already: the same request (the same {@code t} token, which engine.io-client
 * and Parley's client put on every poll) gets the same answer again, and the next poll (another token) the packets
 * that came after, so nothing is lost and nothing repeated.
 */
class PollRetryTest {

    private static final String PATH = "/engine.io/";
    private static EngineServer echo;
    private static StandaloneServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() throws Exception {
        // no ping during the test: a poll with nothing to answer waits
        echo = ConformanceApp.echoEngine(EngineOptions.builder().path(PATH).pingInterval(60_000).build());
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(echo, false)), false);
        http = new RawHttp("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        echo.close();
        server.close();
    }

    @Test
    void aPollSentAgainWithTheSameTokenGetsTheSameAnswerAndTheNextTokenTheNextPackets() throws Exception {
        String sid = http.openPolling(PATH);
        String poll = PATH + "?EIO=4&transport=polling&sid=" + sid;
        assertThat(http.sendAsync("POST", poll, "4first").get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(http.getAsync(poll + "&t=a").get(5, TimeUnit.SECONDS).body()).isEqualTo("4first");
        assertThat(http.getAsync(poll + "&t=a").get(5, TimeUnit.SECONDS).body())
                .as("the same request again: its answer again, not a wait for the next packets").isEqualTo("4first");

        assertThat(http.sendAsync("POST", poll, "4second").get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(http.getAsync(poll + "&t=b").get(5, TimeUnit.SECONDS).body())
                .as("a new token: the packets after the last answer").isEqualTo("4second");
        assertThat(http.sendAsync("POST", poll, "4third").get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(http.getAsync(poll + "&t=a").get(5, TimeUnit.SECONDS).body())
                .as("an older token is not the last answered one").isEqualTo("4third");
        assertThat(http.sendAsync("POST", poll, "4fourth").get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(http.getAsync(poll).get(5, TimeUnit.SECONDS).body())
                .as("a poll without a token is always a new one").isEqualTo("4fourth");
    }
}
