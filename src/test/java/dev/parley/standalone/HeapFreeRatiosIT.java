package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar ({@code java -jar parley-standalone.jar}) gives back free heap after collections:
 * started plainly its JVM runs with {@code MinHeapFreeRatio=20} and {@code MaxHeapFreeRatio=40}, set at start
 * (origin "management"); started with either flag given by the operator, both stay as the JVM has them. Read
 * from the running process with {@code jcmd PID VM.flags -all}, as an operator would.
 */
class HeapFreeRatiosIT {

    private static final Pattern FLAG = Pattern.compile(
            "^\\s*uintx (MinHeapFreeRatio|MaxHeapFreeRatio)\\s+= (\\d+)\\s+\\{[^}]*}\\s+\\{([^}]*)}", Pattern.MULTILINE);

    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : servers) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aPlainStartKeepsAtMostFortyPercentOfTheHeapFree() throws Exception {
        Map<String, String> flags = flags(startJar("plain"));
        assertThat(flags).containsEntry("MinHeapFreeRatio", "20 (management)")
                .containsEntry("MaxHeapFreeRatio", "40 (management)");
    }

    @Test
    void anOperatorsChoiceOfEitherRatioLeavesBothAsTheJvmHasThem() throws Exception {
        assertThat(flags(startJar("max", "-XX:MaxHeapFreeRatio=60"))).containsEntry("MaxHeapFreeRatio", "60 (command line)")
                .containsEntry("MinHeapFreeRatio", "40 (default)");
        assertThat(flags(startJar("min", "-XX:MinHeapFreeRatio=5"))).containsEntry("MinHeapFreeRatio", "5 (command line)")
                .containsEntry("MaxHeapFreeRatio", "70 (default)");
    }

    /** The two ratios of the running process: value and origin, e.g. {@code "40 (management)"}. */
    private static Map<String, String> flags(Process server) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        assertThat(jcmd).as("jcmd of the JDK running the tests").isRegularFile();
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "VM.flags", "-all")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jcmd finished").isTrue();
        Matcher m = FLAG.matcher(out);
        Map<String, String> flags = new TreeMap<>();
        while (m.find()) {
            flags.put(m.group(1), m.group(2) + " (" + m.group(3) + ")");
        }
        assertThat(flags).as("the ratios in jcmd's output:\n" + out).hasSize(2);
        return flags;
    }

    private Process startJar(String name, String... jvmOptions) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
        assertThat(jar).as("the standalone jar (mvn package builds it)").isFile();
        Path log = Path.of("target/it-heap-free-ratios", name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.getAbsolutePath(), "--host", "127.0.0.1", "--port", Integer.toString(port)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(p);
        int listening = port;
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("the jar exited (" + p.exitValue() + "): " + Files.readString(log));
            }
            return Files.readString(log).contains("listening on http://127.0.0.1:" + listening + "/");
        });
        return p;
    }
}
