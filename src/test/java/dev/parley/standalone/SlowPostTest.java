package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.LogCapture;
import dev.parley.testing.SlowPost;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Polling POST bodies against a real standalone server (Grizzly, a handful of worker threads): a
 * body that arrives slowly or never must hold no thread, so every other client keeps being served;
 * it gets 408 at {@code http-body-timeout}; a client that leaves mid-body leaves no stack trace in
 * the log; and a body whose base64 attachment carries line breaks (as the Java socket.io-client
 * sends it) is taken as Node takes it. Each test checks a bystander polling client is served.
 */
class SlowPostTest {

    private static final String SIO = "/socket.io/";

    private ParleyServer parley;
    private StandaloneServer server;

    @AfterEach
    void stop() {
        if (parley != null) {
            parley.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A server whose "/" namespace acks "echo" with its first argument. */
    private void start(UnaryOperator<EngineOptions.Builder> engine) throws Exception {
        parley = new ParleyServer(ParleyOptions.builder().engine(engine.apply(EngineOptions.builder()).build()).build());
        parley.of("/").onConnection(socket -> socket.on("echo", (args, ack) -> ack.send(args.get(0))));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    private RawHttp http() {
        return new RawHttp("http://127.0.0.1:" + server.port());
    }

    private static String poll(String sid) {
        return SIO + "?EIO=4&transport=polling&sid=" + sid;
    }

    /** Opens a session (no namespace joined) and starts a POST on it that stops after 10 of 1000 bytes. */
    private SlowPost slowPost() throws Exception {
        String sid = http().openPolling(SIO);
        return slowPost(sid);
    }

    private SlowPost slowPost(String sid) throws Exception {
        return SlowPost.send("127.0.0.1", server.port(), poll(sid), 1000, "42[\"messag");
    }

    /**
     * A polling client joined to "/": each round trip POSTs an echo event with an ack id, then GETs
     * until the ack is back, answering pings on the way.
     */
    private final class PollingClient {
        private final RawHttp http = http();
        private final String sid;
        private int lastAck;

        PollingClient() throws Exception {
            sid = http.openPolling(SIO);
            post("40");
            awaitPacket(p -> p.startsWith("40{\"sid\":"), "the CONNECT answer");
        }

        void roundTrip(String value) throws Exception {
            int id = ++lastAck;
            post("42" + id + "[\"echo\",\"" + value + "\"]");
            String expected = "43" + id + "[\"" + value + "\"]";
            awaitPacket(expected::equals, expected);
        }

        void post(String payload) throws Exception {
            HttpResponse<String> r = http.post(poll(sid), payload);
            assertThat(r.statusCode()).as("POST %s: %s", payload, r.body()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok");
        }

        /** GETs until a packet matches; pings are answered, noops skipped, anything else fails. */
        List<String> awaitPacket(Predicate<String> wanted, String what) throws Exception {
            return awaitPacket(wanted, p -> false, what);
        }

        /**
         * GETs until a packet matches {@code wanted}, reading each payload to its end (a ping after
         * the wanted packet must still be answered); {@code alsoExpected} packets are collected.
         */
        List<String> awaitPacket(Predicate<String> wanted, Predicate<String> alsoExpected, String what)
                throws Exception {
            List<String> seen = new ArrayList<>();
            boolean found = false;
            while (!found) {
                HttpResponse<String> r = http.get(poll(sid));
                assertThat(r.statusCode()).as("GET: %s", r.body()).isEqualTo(200);
                for (String packet : r.body().split("\u001e")) {
                    seen.add(packet);
                    if (!found && wanted.test(packet)) {
                        found = true;
                    } else if (packet.equals("2")) {
                        post("3");
                    } else if (!packet.equals("6") && !alsoExpected.test(packet)) {
                        throw new AssertionError("waiting for " + what + ", got " + packet + " in " + r.body());
                    }
                }
            }
            return seen;
        }
    }

    // ---------------------------------------------------------------- slow bodies

    @Test
    void eightSlowBodiesHeldSixtySecondsStopNoneOfTenPollingClients() throws Exception {
        start(e -> e.httpBodyTimeout(120_000));
        List<SlowPost> slow = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            slow.add(slowPost());
        }
        long started = System.nanoTime();
        long end = started + TimeUnit.SECONDS.toNanos(60);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger roundTrips = new AtomicInteger();
        AtomicLong slowestNanos = new AtomicLong();
        CountDownLatch allConnected = new CountDownLatch(10);
        AtomicInteger names = new AtomicInteger();
        ExecutorService bystanders = Executors.newFixedThreadPool(10,
                r -> new Thread(r, "slow-post-bystander-" + names.incrementAndGet()));
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                int client = c;
                done.add(bystanders.submit(() -> {
                    int mine = 0;
                    try {
                        PollingClient pc = new PollingClient();
                        allConnected.countDown();
                        while (System.nanoTime() < end) {
                            long t0 = System.nanoTime();
                            pc.roundTrip("c" + client + "-" + mine);
                            slowestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                            mine++;
                            roundTrips.incrementAndGet();
                            Thread.sleep(20); // pacing, not synchronisation
                        }
                    } catch (Throwable t) {
                        failures.add(new AssertionError("bystander " + client + " failed at round trip " + mine
                                + ", " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms in: " + t, t));
                    }
                    return mine;
                }));
            }
            assertThat(allConnected.await(30, TimeUnit.SECONDS)).as("every bystander connected; failures: %s",
                    failures).isTrue();
            List<Integer> perClient = new ArrayList<>();
            for (Future<Integer> f : done) {
                perClient.add(f.get(120, TimeUnit.SECONDS));
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.printf("[slow-post] 8 slow bodies held %d ms; 10 bystanders: %d round trips %s, slowest %d ms%n",
                    tookMillis, roundTrips.get(), perClient, TimeUnit.NANOSECONDS.toMillis(slowestNanos.get()));
            assertThat(failures).as("bystander failures").isEmpty();
            assertThat(perClient).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(100));
            // The slow POSTs were neither answered nor cut: nothing gave up on them, they just cost nothing.
            for (SlowPost s : slow) {
                assertThat(s.silent(Duration.ofMillis(50))).isTrue();
            }
        } finally {
            bystanders.shutdownNow();
            for (SlowPost s : slow) {
                s.close();
            }
        }
        new PollingClient().roundTrip("after");
    }

    @Test
    void aSlowBodyGets408AtTheBodyTimeoutAndItsConnectionCloses() throws Exception {
        start(e -> e.httpBodyTimeout(1000));
        String sid = http().openPolling(SIO);
        long t0 = System.nanoTime();
        try (SlowPost slow = slowPost(sid)) {
            PollingClient bystander = new PollingClient();
            bystander.roundTrip("while the body waits");
            SlowPost.Answer answer = slow.awaitAnswer(Duration.ofSeconds(10), Duration.ofMillis(200));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(answer.receivedNanos() - t0);
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.body()).isEqualTo("{\"code\":3,\"message\":\"Request body timeout\"}");
            assertThat(answer.headers()).containsEntry("content-type", "application/json")
                    .containsEntry("connection", "close");
            // Grizzly skips the unread rest of a body before it honours Connection: close (closing
            // at once would reset connections whose client is still sending, e.g. a 413 it must read):
            // once the rest arrives, the connection closes.
            slow.send("x".repeat(990));
            assertThat(slow.awaitClose(Duration.ofSeconds(10))).as("connection closed after the 408").isTrue();
            assertThat(tookMillis).isBetween(1000L, 10_000L);
            // The session whose body was lost ends (a transport error, as the reference does).
            await().atMost(Duration.ofSeconds(5)).until(() -> parley.engine().session(sid) == null);
            bystander.roundTrip("after the 408");
        }
    }

    @Test
    void aClientLeavingMidBodyLogsNoStackTraceAndEndsOnlyItsSession() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            start(e -> e);
            PollingClient bystander = new PollingClient();
            String sid = http().openPolling(SIO);
            SlowPost slow = slowPost(sid);
            bystander.roundTrip("before");
            slow.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> parley.engine().session(sid) == null);
            bystander.roundTrip("after");
            log.assertNoStackTraces();
            assertThat(log.records()).as("nothing at WARNING or above")
                    .noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue());
        }
    }

    @Test
    void aSlowBodyThatFinishesInTimeIsDeliveredAndAnsweredOk() throws Exception {
        start(e -> e.httpBodyTimeout(10_000));
        PollingClient client = new PollingClient();
        int id = 7;
        String event = "42" + id + "[\"echo\",\"late\"]";
        byte[] bytes = event.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST " + poll(client.sid) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(bytes, 0, 5);
            out.flush();
            // The bystander is served while this body is half sent.
            PollingClient bystander = new PollingClient();
            bystander.roundTrip("meanwhile");
            out.write(bytes, 5, bytes.length - 5);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nok");
        }
        client.awaitPacket("437[\"late\"]"::equals, "the ack of the late body");
    }

    // ---------------------------------------------------------------- base64 with whitespace

    @Test
    void aBase64AttachmentWithLineBreaksReachesTheHandler() throws Exception {
        start(e -> e);
        PollingClient client = new PollingClient();
        byte[] data = new byte[60];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (200 + i);
        }
        String b64 = Base64.getEncoder().encodeToString(data);
        // As android's Base64.DEFAULT (the Java socket.io-client 2.x) writes it: 76-character lines, each ended.
        String wrapped = b64.substring(0, 76) + "\n" + b64.substring(76) + "\n";
        client.post("451-9[\"echo\",{\"_placeholder\":true,\"num\":0}]\u001eb" + wrapped);
        String header = "461-9[{\"_placeholder\":true,\"num\":0}]";
        List<String> seen = client.awaitPacket(p -> p.startsWith("b"), header::equals, "the binary ack's attachment");
        assertThat(seen).contains(header);
        String attachment = seen.stream().filter(p -> p.startsWith("b")).findFirst().orElseThrow();
        assertThat(Base64.getDecoder().decode(attachment.substring(1))).isEqualTo(data);
        client.post("4" + "51-[\"echo\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID\n");
        assertThat(parley.engine().session(client.sid)).as("the session lives on").isNotNull();
        new PollingClient().roundTrip("bystander");
    }
}
