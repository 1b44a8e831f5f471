package dev.parley.standalone;

import dev.parley.engine.EngineOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.NodeTestRun;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The real {@code socket.io-client} 4.8 (Node) against a real standalone Parley: every
 * {@code src/test/node/*.test.mjs} file runs three times, over WebSocket only, long-polling only, and
 * polling upgraded to WebSocket. The server side is {@link FixtureApp}.
 */
class NodeClientSuiteTest {

    private static final List<String> MODES = List.of("websocket", "polling", "polling,websocket");
    private static ParleyServer parley;
    private static StandaloneServer server;

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().pingInterval(2000).pingTimeout(5000).build())
                .connectTimeout(5000).build());
        FixtureApp.install(parley);
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), true)),
                false);
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> socketIoClientSuites() {
        File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        String[] files = dir.list((d, name) -> name.endsWith(".test.mjs"));
        if (files == null || files.length == 0) {
            throw new AssertionError("no *.test.mjs files in " + dir.getAbsolutePath());
        }
        Arrays.sort(files);
        List<DynamicTest> tests = new ArrayList<>();
        for (String mode : MODES) {
            for (String file : files) {
                tests.add(DynamicTest.dynamicTest(file + " [" + mode + "]", () -> NodeTestRun.run(dir, file,
                        Map.of("PARLEY_URL", "http://127.0.0.1:" + server.port(), "PARLEY_TRANSPORTS", mode), 120)));
            }
        }
        return tests.stream();
    }
}
