package dev.parley.standalone;

import dev.parley.engine.EngineOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.NodeTestRun;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The real {@code socket.io-client} 4.8 (Node) against a standalone Parley with
 * {@code per-message-deflate} on (threshold 1024) and {@code http-compression} at its default, in
 * each transport mode ({@code src/test/node/compression/compression.test.mjs}): the extension is
 * negotiated, large messages take a fraction of their size on the wire, {@code compress(false)} and
 * short ones do not, the client's own compressed messages and binary attachments round-trip, and a
 * polling client using {@code fetch} (which accepts gzip) gets gzipped responses. The server side is
 * {@link FixtureApp} plus a {@code compressed} event.
 */
class CompressionClientTest {

    private static ParleyServer parley;
    private static StandaloneServer server;

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().perMessageDeflate(true).perMessageDeflateThreshold(1024).build())
                .build());
        FixtureApp.install(parley);
        parley.onConnection(socket -> socket.on("compressed", (args, ack) ->
                socket.compress(args.getBoolean(1)).emit("compressed", text(args.getInt(0)))));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
    }

    /** The same text as the Node test's {@code text(n)}. */
    static String text(int n) {
        StringBuilder b = new StringBuilder(n + 8);
        for (int i = 0; b.length() < n; i++) {
            b.append("word").append(i % 50).append(' ');
        }
        return b.substring(0, n);
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> socketIoClientWithCompression() {
        File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        return Stream.of("websocket", "polling", "polling,websocket").map(mode -> DynamicTest.dynamicTest(
                "compression/compression.test.mjs [" + mode + "]", () -> NodeTestRun.run(dir,
                        "compression/compression.test.mjs",
                        Map.of("PARLEY_URL", "http://127.0.0.1:" + server.port(), "PARLEY_TRANSPORTS", mode), 120)));
    }
}
