package dev.parley.demo;

import dev.parley.jakarta.AnnotatedNamespace;
import dev.parley.jakarta.NamespaceInstances;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import dev.parley.testing.NodeTestRun;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo chat as a person uses it: the standalone server serving {@code webapp/}, two pages in
 * real headless Chromium (Debian's, driven by playwright-core) chatting through the official
 * browser bundle that Parley serves. Leaves a screenshot at {@code target/demo-chat.png}.
 */
class DemoPageBrowserTest {

    private static ParleyServer parley;
    private static StandaloneServer server;

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.defaults());
        AnnotatedNamespace.of(ChatNamespace.class).register(parley, NamespaceInstances.constructed(ChatNamespace.class));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), true)),
                true);
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    @Test
    void twoBrowsersChat() throws Exception {
        String chromium = System.getProperty("parley.chromium", "/usr/bin/chromium");
        if (!new File(chromium).canExecute()) {
            throw new AssertionError(chromium + " not found: install Debian's Chromium (apt-get install chromium); "
                    + "`bash .ci/test` does it when run as root");
        }
        NodeTestRun.run(new File(System.getProperty("parley.browserTests", "src/test/browser")), "demo-chat.test.mjs",
                Map.of("PARLEY_URL", "http://127.0.0.1:" + server.port(), "CHROMIUM", chromium,
                        "SCREENSHOT", new File("target/demo-chat.png").getAbsolutePath()), 120);
    }
}
