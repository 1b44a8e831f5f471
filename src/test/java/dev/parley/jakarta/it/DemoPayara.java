package dev.parley.jakarta.it;

import dev.parley.demo.DemoPagesScript;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Payara Micro of its own serving only the demo WAR ({@code target/parley.war}, at {@code /parley}), for the
 * browser test that stops the server under open pages and starts it again: the shared Payara Micro of
 * {@link PayaraMicroIT} serves the other tests meanwhile. Each {@link #start()} runs a new process on the same port
 * with the same WAR ({@code payara-N.log} in {@code target/it-payara-demo/}); {@link #stop()} sends SIGTERM, the
 * orderly shutdown an operator's restart does. Its Hazelcast takes the next free member port (6901 beside the shared
 * one's 6900); clustering stays off.
 */
final class DemoPayara implements DemoPagesScript.Restarts, AutoCloseable {

    private final File payara = ContainerScenarios.file("parley.payaraJar");
    private final Path work = Path.of("target/it-payara-demo").toAbsolutePath();
    private final File war = work.resolve("parley.war").toFile();
    private final Path pre = work.resolve("pre.txt");
    private final int port;
    private Process server;
    private int starts;

    DemoPayara() throws Exception {
        Files.createDirectories(work);
        Files.copy(ContainerScenarios.file("parley.demoWar").toPath(), war.toPath(), StandardCopyOption.REPLACE_EXISTING);
        OwnContainer.payaraPreBoot(work);
        port = ContainerScenarios.freePort();
    }

    /** The demo's root: {@code http://127.0.0.1:<port>/parley}. */
    String url() {
        return "http://127.0.0.1:" + port + "/parley";
    }

    /** How many times a process was started. */
    int starts() {
        return starts;
    }

    /** The log of the {@code n}th process, from 1. */
    Path log(int n) {
        return work.resolve("payara-" + n + ".log");
    }

    /** Starts Payara Micro on this object's port and waits until the demo WAR's Engine.IO handshake answers. */
    @Override
    public void start() throws Exception {
        starts++;
        Path log = log(starts);
        server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                payara.getAbsolutePath(), "--nocluster", "--port", Integer.toString(port),
                "--prebootcommandfile", pre.toString(), "--deploy", war.getAbsolutePath())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ContainerScenarios.awaitReady(url(), server, Duration.ofSeconds(120), log);
    }

    /** SIGTERM, and waits until the process has exited (forcibly after a minute). */
    @Override
    public void stop() throws Exception {
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Ends whatever is still running, at once. */
    @Override
    public void close() {
        kill();
    }

    private void kill() {
        if (server != null && server.isAlive()) {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
    }
}
