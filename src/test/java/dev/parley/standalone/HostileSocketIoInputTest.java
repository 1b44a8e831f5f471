package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.DisconnectReason;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile or unusual Socket.IO packets on both transports against a real standalone server: each
 * case asserts what the reference server does (accept and answer, or close that session with a
 * reason), that a bystander on each transport is served right after, and that nothing was logged
 * with a stack trace.
 */
class HostileSocketIoInputTest {

    private static final String PATH = "/socket.io/";
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);
    private static final String PLACEHOLDER = ",{\"_placeholder\":true,\"num\":0}";

    private LogCapture log;
    private ParleyServer parley;
    private StandaloneServer server;
    private final AtomicInteger anyEvents = new AtomicInteger();
    private final Map<String, DisconnectReason> disconnects = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        log = LogCapture.start();
        parley = new ParleyServer(ParleyOptions.builder().attachmentTimeout(500).maxAttachmentBytes(100_000).build());
        parley.of("/").onConnection(socket -> {
            socket.onAny((event, args) -> anyEvents.incrementAndGet());
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
            socket.onDisconnect((reason, description) -> disconnects.put(socket.id(), reason));
        });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        log.mark(); // start-up lines do not count
    }

    @AfterEach
    void stop() {
        try {
            log.assertNoStackTraces();
        } finally {
            log.close();
            parley.close();
            server.close();
        }
    }

    private RawSocketIo open(RawSocketIo.Kind kind) throws Exception {
        return RawSocketIo.open(kind, "http://127.0.0.1:" + server.port(), PATH);
    }

    private RawSocketIo joined(RawSocketIo.Kind kind) throws Exception {
        RawSocketIo client = open(kind);
        client.join();
        return client;
    }

    /** A client on each transport still gets its acknowledgement. */
    private void bystandersAreServed() throws Exception {
        for (RawSocketIo.Kind kind : RawSocketIo.Kind.values()) {
            try (RawSocketIo client = joined(kind)) {
                client.send("27[\"echo\",\"still here\"]");
                assertThat(client.next()).isEqualTo("37[\"still here\"]");
            }
        }
    }

    /** The offender's session ends, the server logged one line at most about it, the others are served. */
    private void closesOnlyThatSession(RawSocketIo offender) throws Exception {
        offender.awaitClosed(CLOSE_WITHIN);
        log.assertAtMost(1);
        bystandersAreServed();
    }

    private static String nested(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    // ---------------------------------------------------------------- 3. deep JSON

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void argumentsNestedThousandLevelsDeepComeBackAsTheReferenceEchoesThem(RawSocketIo.Kind kind) throws Exception {
        try (RawSocketIo client = joined(kind)) {
            client.send("21[\"echo\"," + nested(1000) + "]");
            assertThat(client.next()).isEqualTo("31[" + nested(1000) + "]");
        }
        bystandersAreServed();
    }

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void deeperArgumentsAreAParseErrorClosingOnlyThatSession(RawSocketIo.Kind kind) throws Exception {
        RawSocketIo client = joined(kind);
        client.send("21[\"echo\"," + nested(1001) + "]");
        closesOnlyThatSession(client);
        assertThat(disconnects.values()).contains(DisconnectReason.PARSE_ERROR);
        assertThat(anyEvents).hasValue(2); // the bystanders' echoes only
    }

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void aConnectPayloadNestedTooDeepIsAParseErrorToo(RawSocketIo.Kind kind) throws Exception {
        RawSocketIo client = open(kind);
        client.send("0{" + "\"a\":{".repeat(1001) + "}".repeat(1001) + "}");
        closesOnlyThatSession(client);
        assertThat(parley.of("/").sockets()).hasSize(0);
    }

    // ---------------------------------------------------------------- 4. attachments

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void moreAttachmentsThanTheReferenceAllowsCloseTheSession(RawSocketIo.Kind kind) throws Exception {
        RawSocketIo client = joined(kind);
        client.send("511-[\"echo\"" + PLACEHOLDER.repeat(11) + "]");
        closesOnlyThatSession(client);
    }

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void attachmentsThatNeverArriveCloseTheSessionAfterTheAttachmentTimeout(RawSocketIo.Kind kind)
            throws Exception {
        RawSocketIo client = joined(kind);
        Object[] packets = new Object[10];
        packets[0] = "510-[\"echo\"" + PLACEHOLDER.repeat(10) + "]";
        for (int i = 1; i < 10; i++) {
            packets[i] = new byte[1000]; // 9 of the 10 announced
        }
        long start = System.nanoTime();
        client.send(packets);
        closesOnlyThatSession(client);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        assertThat(disconnects.values()).contains(DisconnectReason.PARSE_ERROR);
    }

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void attachmentsLargerTogetherThanAllowedCloseTheSession(RawSocketIo.Kind kind) throws Exception {
        RawSocketIo client = joined(kind);
        client.send("52-[\"echo\"" + PLACEHOLDER + ",{\"_placeholder\":true,\"num\":1}]", new byte[60_000],
                new byte[60_000]);
        closesOnlyThatSession(client);
    }

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void attachmentsWithinTheLimitsAreDelivered(RawSocketIo.Kind kind) throws Exception {
        try (RawSocketIo client = joined(kind)) {
            client.send("52-3[\"echo\"" + PLACEHOLDER + ",{\"_placeholder\":true,\"num\":1}]", new byte[] {1, 2},
                    new byte[] {3});
            assertThat(client.next()).isEqualTo("62-3[" + PLACEHOLDER.substring(1)
                    + ",{\"_placeholder\":true,\"num\":1}]");
        }
    }

    // ---------------------------------------------------------------- 6. exactness

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void aLoneSurrogateComesBackEscapedAsNodeWritesIt(RawSocketIo.Kind kind) throws Exception {
        try (RawSocketIo client = joined(kind)) {
            client.send("22[\"echo\",\"\\ud800x\",\"\\ud83d\\ude00\"]");
            assertThat(client.next()).isEqualTo("32[\"\\ud800x\",\"\ud83d\ude00\"]");
        }
    }

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void aSecondConnectToAJoinedNamespaceIsAnsweredWithTheSameSocket(RawSocketIo.Kind kind) throws Exception {
        try (RawSocketIo client = open(kind)) {
            String first = client.join();
            client.send("0");
            assertThat(client.next()).isEqualTo(first);
            assertThat(parley.of("/").sockets()).hasSize(1);
            client.send("27[\"echo\",\"same socket\"]");
            assertThat(client.next()).isEqualTo("37[\"same socket\"]");
        }
        bystandersAreServed();
    }

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void aPacketForANamespaceNotJoinedOrAConnectErrorFromTheClientCloseTheConnection(RawSocketIo.Kind kind)
            throws Exception {
        RawSocketIo notJoined = joined(kind);
        notJoined.send("2/custom,[\"echo\"]");
        closesOnlyThatSession(notJoined);
        RawSocketIo connectError = joined(kind);
        connectError.send("4{\"message\":\"x\"}");
        connectError.awaitClosed(CLOSE_WITHIN);
        assertThat(disconnects.values()).contains(DisconnectReason.FORCED_SERVER_CLOSE);
        bystandersAreServed();
    }

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void reservedEventNamesNeverReachHandlersAndCloseTheSession(RawSocketIo.Kind kind) throws Exception {
        RawSocketIo client = joined(kind);
        client.send("2[\"disconnect\"]");
        closesOnlyThatSession(client);
        assertThat(anyEvents).hasValue(2); // the bystanders' echoes only
        assertThat(disconnects.values()).contains(DisconnectReason.PARSE_ERROR);
    }

    @ParameterizedTest
    @EnumSource(RawSocketIo.Kind.class)
    void ackIdsUpToTwoToTheSixtyThreeAreAnsweredExactlyAndLongerOnesRefused(RawSocketIo.Kind kind)
            throws Exception {
        try (RawSocketIo client = joined(kind)) {
            client.send("21234567890123456789[\"echo\",\"x\"]");
            assertThat(client.next()).isEqualTo("31234567890123456789[\"x\"]");
            client.send("29223372036854775807[\"echo\",\"y\"]");
            assertThat(client.next()).isEqualTo("39223372036854775807[\"y\"]");
        }
        RawSocketIo tooLong = joined(kind);
        tooLong.send("29223372036854775808[\"echo\",\"z\"]");
        closesOnlyThatSession(tooLong);
    }
}
