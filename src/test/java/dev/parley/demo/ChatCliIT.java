package dev.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's command-line chat client run as the README says, against the demo server as the README starts it:
 * {@code java -jar target/parley-standalone.jar} and, twice, {@code java -cp target/parley-standalone.jar
 * src/examples/ChatCli.java <url> <name>} (the JDK's source launcher), typing into their standard input. Then the
 * server is killed and started again on the same port: the clients reconnect by themselves, named again, a line typed
 * while the server was down reaches it once, and they chat on.
 */
class ChatCliIT {

    private static final Path WORK = Path.of("target/it-chat-cli");

    private final List<Process> processes = new ArrayList<>();
    private File jar;
    private int port;
    private Process server;

    @BeforeEach
    void startTheDemoServer() throws Exception {
        jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(WORK);
        server = startServer("server-1.log");
    }

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void twoTerminalsChatThroughTheDemoServerAndCarryOnAfterItRestarts() throws Exception {
        Path aliceOut = WORK.resolve("alice.out");
        Path bobOut = WORK.resolve("bob.out");
        Process alice = chatCli("alice", aliceOut);
        Process bob = chatCli("bob", bobOut);
        awaitLine(aliceOut, "* connected as alice");
        awaitLine(bobOut, "* connected as bob");

        type(alice, "hello from alice");
        awaitLine(bobOut, "alice: hello from alice");
        type(bob, "hi alice");
        awaitLine(aliceOut, "bob: hi alice");

        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        // "transport close" on a WebSocket, "transport error" if the session was still on long-polling
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Files.readAllLines(aliceOut))
                .anyMatch(l -> l.equals("* disconnected: transport close")
                        || l.equals("* disconnected: transport error")));
        awaitLine(bobOut, "* reconnecting (attempt 1)");
        type(alice, "typed while the server was down");   // buffered by the client, sent once after reconnecting
        server = startServer("server-2.log");
        awaitCount(aliceOut, "* connected as alice", 2);
        awaitCount(bobOut, "* connected as bob", 2);
        // the server sends each line to everyone connected, its sender too: alice's own screen shows it reached the
        // server (bob sees it only if he was back first: the demo keeps no missed messages)
        awaitLine(aliceOut, "alice: typed while the server was down");
        type(bob, "bob is back");
        awaitLine(aliceOut, "bob: bob is back");

        type(bob, "/quit");
        assertThat(bob.waitFor(30, TimeUnit.SECONDS)).as("bob's client exits on /quit").isTrue();
        assertThat(bob.exitValue()).as("bob's exit status; output:%n%s", Files.readString(bobOut)).isZero();
        awaitLine(aliceOut, "* bob left");
        alice.getOutputStream().close();                    // end of input leaves too
        assertThat(alice.waitFor(30, TimeUnit.SECONDS)).as("alice's client exits at the end of its input").isTrue();
        assertThat(alice.exitValue()).isZero();
        assertThat(Files.readString(aliceOut)).as("each line arrives once")
                .containsOnlyOnce("alice: typed while the server was down").containsOnlyOnce("alice: hello from alice");
        assertThat(Files.readString(bobOut)).as("each line arrives once").containsOnlyOnce("alice: hello from alice");
        assertThat(Files.readAllLines(bobOut)).as("never twice")
                .filteredOn("alice: typed while the server was down"::equals).hasSizeLessThanOrEqualTo(1);
    }

    private Process startServer(String logName) throws IOException {
        Path log = WORK.resolve(logName);
        Process p = new ProcessBuilder(java(), "-jar", jar.getAbsolutePath(), "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("the demo server exited (" + p.exitValue() + "): " + Files.readString(log));
            }
            return Files.readString(log).contains("demo listening on http://127.0.0.1:" + port + "/");
        });
        return p;
    }

    private Process chatCli(String name, Path out) throws IOException {
        Process p = new ProcessBuilder(java(), "-cp", jar.getAbsolutePath(), "src/examples/ChatCli.java",
                "http://127.0.0.1:" + port, name).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(p);
        return p;
    }

    private static void type(Process cli, String line) throws IOException {
        Writer in = cli.outputWriter(StandardCharsets.UTF_8);
        in.write(line + "\n");
        in.flush();
    }

    private static void awaitLine(Path out, String line) {
        awaitCount(out, line, 1);
    }

    private static void awaitCount(Path out, String line, int count) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Files.readAllLines(out))
                .as("the lines of %s", out).filteredOn(line::equals).hasSizeGreaterThanOrEqualTo(count));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
