package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The raw Socket.IO v5 protocol over a real WebSocket against the conformance fixture, covering the
 * ground of the public v5 test suite: namespace CONNECT with and without auth, unknown namespaces,
 * events, acks, binary attachments, disconnects, and every malformed packet closing only its session.
 */
class SocketIoProtocolTest {

    private static ConformanceServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new ConformanceServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawWebSocket open() throws InterruptedException {
        RawWebSocket ws = RawWebSocket.connect(server.ws() + "/socket.io/?EIO=4&transport=websocket");
        assertThat((String) ws.next()).startsWith("0{\"sid\":");
        return ws;
    }

    /** An Engine.IO session joined to the main namespace, past the "auth" event. */
    private static RawWebSocket connected() throws InterruptedException {
        RawWebSocket ws = open();
        ws.send("40");
        assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
        assertThat(ws.nextIgnoringPings()).isEqualTo("42[\"auth\",{}]");
        return ws;
    }

    @Test
    void connectsToTheMainNamespace() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send("40");
            assertThat((String) ws.nextIgnoringPings()).matches("40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
            assertThat(ws.nextIgnoringPings()).isEqualTo("42[\"auth\",{}]");
        }
    }

    @Test
    void connectsToTheMainNamespaceWithAnAuthPayload() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send("40{\"token\":\"123\"}");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40{\"sid\":");
            assertThat(ws.nextIgnoringPings()).isEqualTo("42[\"auth\",{\"token\":\"123\"}]");
        }
    }

    @Test
    void connectsToACustomNamespaceWithOrWithoutPayload() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send("40/custom,");
            assertThat((String) ws.nextIgnoringPings()).matches("40/custom,\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}");
            assertThat(ws.nextIgnoringPings()).isEqualTo("42/custom,[\"auth\",{}]");
        }
        try (RawWebSocket ws = open()) {
            ws.send("40/custom,{\"token\":\"abc\"}");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40/custom,{\"sid\":");
            assertThat(ws.nextIgnoringPings()).isEqualTo("42/custom,[\"auth\",{\"token\":\"abc\"}]");
        }
    }

    @Test
    void refusesAnUnknownNamespace() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send("40/random");
            assertThat(ws.nextIgnoringPings()).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
        }
    }

    @Test
    void closesAConnectionThatNeverJoinsANamespace() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.ws() + "/socket.io/?EIO=4&transport=websocket")) {
            long start = System.nanoTime();
            ws.awaitClose(Duration.ofSeconds(5));
            // connectTimeout is 1000 ms; pongs are never sent either, so allow the heartbeat to win
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void closesTheConnectionOnAnInvalidHandshakePacket() throws Exception {
        try (RawWebSocket ws = open()) {
            ws.send("4abc");
            ws.awaitClose(Duration.ofSeconds(3));
        }
    }

    @Test
    void disconnectsFromTheMainNamespaceAndKeepsTheConnection() throws Exception {
        try (RawWebSocket ws = connected()) {
            ws.send("41");
            // nothing is answered; the next frame is the heartbeat of the still open connection
            assertThat(ws.next()).isEqualTo("2");
        }
    }

    @Test
    void connectsThenDisconnectsACustomNamespace() throws Exception {
        try (RawWebSocket ws = connected()) {
            ws.send("40/custom");
            assertThat((String) ws.nextIgnoringPings()).startsWith("40/custom,{\"sid\":");
            assertThat(ws.nextIgnoringPings()).isEqualTo("42/custom,[\"auth\",{}]");
            ws.send("41/custom");
            ws.send("42[\"message\",\"message to main namespace\"]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("42[\"message-back\",\"message to main namespace\"]");
        }
    }

    @Test
    void echoesAPlainTextEventWithExactJson() throws Exception {
        try (RawWebSocket ws = connected()) {
            ws.send("42[\"message\",1,\"2\",{\"3\":[true]},1.5,-0.25,null,12345678901234567890]");
            assertThat(ws.nextIgnoringPings())
                    .isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]},1.5,-0.25,null,12345678901234567890]");
        }
    }

    @Test
    void echoesAnEventWithBinaryAttachments() throws Exception {
        try (RawWebSocket ws = connected()) {
            ws.send("452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            ws.send(new byte[] {1, 2, 3});
            ws.send(new byte[] {4, 5, 6});
            assertThat(ws.nextIgnoringPings()).isEqualTo(
                    "452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertThat((byte[]) ws.nextIgnoringPings()).containsExactly(1, 2, 3);
            assertThat((byte[]) ws.nextIgnoringPings()).containsExactly(4, 5, 6);
        }
    }

    @Test
    void acknowledgesAnEvent() throws Exception {
        try (RawWebSocket ws = connected()) {
            ws.send("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
            assertThat(ws.nextIgnoringPings()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
        }
    }

    @Test
    void acknowledgesAnEventWithBinaryAttachments() throws Exception {
        try (RawWebSocket ws = connected()) {
            ws.send("452-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            ws.send(new byte[] {1, 2, 3});
            ws.send(new byte[] {4, 5, 6});
            assertThat(ws.nextIgnoringPings())
                    .isEqualTo("462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
            assertThat((byte[]) ws.nextIgnoringPings()).containsExactly(1, 2, 3);
            assertThat((byte[]) ws.nextIgnoringPings()).containsExactly(4, 5, 6);
        }
    }

    @Test
    void closesOnlyTheOffendingConnectionOnMalformedPackets() throws Exception {
        String[] malformed = {"4abc", "42{}", "42abc[\"message-with-ack\",1]", "42[\"a\"]trailing", "4", "42[]",
                "41{\"unexpected\":1}", "450-[\"message\"]"};
        try (RawWebSocket bystander = connected()) {
            for (String packet : malformed) {
                try (RawWebSocket ws = connected()) {
                    ws.send(packet);
                    ws.awaitClose(Duration.ofSeconds(3));
                }
                bystander.send("42[\"message\",\"still there after " + packet.replace("\"", "'") + "\"]");
                assertThat(bystander.nextIgnoringPings()).isEqualTo(
                        "42[\"message-back\",\"still there after " + packet.replace("\"", "'") + "\"]");
            }
        }
    }

    @Test
    void closesOnBinaryDataThatNoPacketAnnounced() throws Exception {
        try (RawWebSocket ws = connected()) {
            ws.send(new byte[] {9, 9});
            ws.awaitClose(Duration.ofSeconds(3));
        }
    }

    @Test
    void servesTheClientBundle() throws Exception {
        var r = new RawHttp(server.http()).get("/socket.io/socket.io.min.js");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        assertThat(r.body()).contains("Socket.IO v4.8");
    }
}
