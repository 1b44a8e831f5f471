package dev.parley.jakarta.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real container a test starts for itself and stops with {@link #close()}: Payara Micro on a free
 * port, bound to 127.0.0.1 and {@code --nocluster}; WildFly on a server base directory of the test's
 * own (the shared unzipped distribution stays as it is) at a free port offset. Its console goes to
 * {@link #log()}.
 */
final class OwnContainer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final boolean gracefulStop;

    private OwnContainer(Process process, int port, Path log, boolean gracefulStop) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.gracefulStop = gracefulStop;
    }

    /**
     * Starts Payara Micro in {@code work} (its pre-boot file binds the HTTP listener to 127.0.0.1), with
     * {@code args} after the port and pre-boot file ({@code --deploy}, {@code --postbootcommandfile}, ...).
     */
    static OwnContainer payaraMicro(Path work, List<String> args) throws IOException {
        File payara = ContainerScenarios.file("parley.payaraJar");
        Files.createDirectories(work);
        Path pre = payaraPreBoot(work);
        int port = ContainerScenarios.freePort();
        Path log = work.resolve("payara.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", payara.getAbsolutePath(), "--nocluster", "--port", Integer.toString(port),
                "--prebootcommandfile", pre.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new OwnContainer(process, port, log, false);
    }

    /**
     * Writes {@code work/pre.txt}, Payara Micro's pre-boot commands: the HTTP listener bound to 127.0.0.1,
     * then {@code more} commands, one per line.
     */
    static Path payaraPreBoot(Path work, String... more) throws IOException {
        StringBuilder commands = new StringBuilder("set configs.config.server-config.network-config.network-listeners."
                + "network-listener.http-listener.address=127.0.0.1\n");
        for (String command : more) {
            commands.append(command).append('\n');
        }
        return Files.writeString(work.resolve("pre.txt"), commands);
    }

    /**
     * A fresh WildFly server base directory, {@code work/base}: the distribution's configuration copied,
     * {@code deployments/} empty. Configure it (users, jboss-cli, WARs) before {@link #wildFly}.
     */
    static Path wildFlyBase(Path work) throws IOException {
        Path home = ContainerScenarios.file("parley.wildflyHome").toPath();
        Path base = work.resolve("base");
        deleteTree(base);
        Files.createDirectories(base.resolve("deployments"));
        copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
        return base;
    }

    /** Starts WildFly on {@code base} (from {@link #wildFlyBase}) at a free port offset from 20000 up. */
    static OwnContainer wildFly(Path work, Path base) throws IOException {
        Path home = ContainerScenarios.file("parley.wildflyHome").toPath();
        int offset = freeOffset(20000);
        Path log = work.resolve("wildfly.log");
        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/standalone.sh").toString(), "-b", "127.0.0.1",
                "-bmanagement", "127.0.0.1", "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.server.base.dir=" + base.toAbsolutePath())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1"); // standalone.sh then passes SIGTERM on to the JVM
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return new OwnContainer(pb.start(), 8080 + offset, log, true);
    }

    Process process() {
        return process;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    /** {@code http://127.0.0.1:port} followed by {@code context} (e.g. {@code /app}). */
    String url(String context) {
        return "http://127.0.0.1:" + port + context;
    }

    /** WildFly: SIGTERM, forcibly after 30 s; Payara Micro: forcibly at once (nothing of it is under test here). */
    @Override
    public void close() throws InterruptedException {
        if (gracefulStop) {
            process.destroy();
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                return;
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * An offset at which WildFly's HTTP, HTTPS and management ports are all free on 127.0.0.1, searched
     * from {@code from} (plus a step that depends on this JVM, so two builds rarely race for the same one).
     */
    static int freeOffset(int from) throws IOException {
        for (int o = from + (int) (ProcessHandle.current().pid() % 500) * 10; o < from + 25000; o += 7) {
            if (free(8080 + o) && free(8443 + o) && free(9990 + o) && free(9993 + o)) {
                return o;
            }
        }
        throw new IOException("no free port offset for WildFly");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
