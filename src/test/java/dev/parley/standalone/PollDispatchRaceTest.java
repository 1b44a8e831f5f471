package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Grizzly's servlet layer (4.0.2) recycles an async request under the thread still dispatching it when
 * another thread completes it first (a NullPointerException in {@code HttpServletRequestImpl.onAfterService},
 * logged SEVERE, and one in {@code ProcessorExecutor}). Polls are answered either by their own dispatch
 * (packets already buffered) or by whichever thread emits while the poll is being dispatched; many
 * short polling round trips at once, each a POST and a GET sent together so the echo the POST causes
 * races the GET's dispatch, make both happen thousands of times. Every echo must arrive once, in order,
 * and nothing may be logged with a stack trace (see {@code DispatchGate}).
 */
class PollDispatchRaceTest {

    private static final int CLIENTS = 16;
    private static final int ROUNDS = 300;
    private static final Pattern ECHO = Pattern.compile("42\\[\"echo\",(\\d+)]");

    private ParleyServer parley;
    private StandaloneServer server;
    private LogCapture log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        log = LogCapture.start();
        parley = new ParleyServer(ParleyOptions.builder().build());
        parley.onConnection(socket -> socket.on("echo", (args, ack) -> socket.emit("echo", args.getInt(0))));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    @AfterEach
    void stop() {
        try {
            parley.close();
            server.close();
        } finally {
            log.close();
        }
    }

    @Test
    void manyPollsAnsweredDuringTheirDispatchAreServedWithoutTheContainerFailing() throws Exception {
        List<CompletableFuture<List<Integer>>> clients = IntStream.range(0, CLIENTS)
                .mapToObj(i -> CompletableFuture.supplyAsync(this::client)).toList();
        for (CompletableFuture<List<Integer>> c : clients) {
            assertThat(c.get(120, TimeUnit.SECONDS)).as("echoes one client read")
                    .isEqualTo(IntStream.range(0, ROUNDS).boxed().toList());
        }
        log.assertNoStackTraces();
    }

    private List<Integer> client() {
        String base = "http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=polling";
        String open = get(base + "&t=h").join();
        Matcher sid = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(open);
        assertThat(sid.find()).as("handshake %s", open).isTrue();
        String url = base + "&sid=" + sid.group(1);
        post(url, "40").join();
        StringBuilder read = new StringBuilder(get(url + "&t=c").join()); // the CONNECT answer
        List<Integer> echoes = new ArrayList<>();
        for (int round = 0; echoes.size() < ROUNDS; round++) {
            // Even rounds: the echo waits in the session when the poll comes, which its own dispatch
            // answers. Odd rounds: both at once, so the POST's thread may answer the poll mid-dispatch.
            CompletableFuture<String> poll = round % 2 == 0 ? null : get(url + "&t=" + round);
            if (round < ROUNDS) {
                post(url, "42[\"echo\"," + round + "]").join();
            }
            if (poll == null) {
                poll = get(url + "&t=" + round);
            }
            read.append('\u001e').append(poll.join());
            Matcher m = ECHO.matcher(read);
            echoes.clear();
            while (m.find()) {
                echoes.add(Integer.parseInt(m.group(1)));
            }
            assertThat(round).as("polls without an echo, read: %s", read).isLessThan(ROUNDS * 2);
        }
        return echoes;
    }

    private CompletableFuture<String> get(String url) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                    assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
                    return r.body();
                });
    }

    private CompletableFuture<String> post(String url, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> {
                    assertThat(r.statusCode()).as("POST %s: %s", url, r.body()).isEqualTo(200);
                    return r.body();
                });
    }
}
