package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one file of Node's built-in test runner ({@code node --test}) and fails the JUnit test
 * unless it exits 0 having passed at least one test. Output is streamed, prefixed, to stdout; the
 * failure message carries its tail. A missing {@code node} fails with what to install.
 */
public final class NodeTestRun {

    private static final Pattern PASS = Pattern.compile("^[#ℹ] pass (\\d+)", Pattern.MULTILINE);

    private NodeTestRun() {
    }

    /**
     * @param dir     the directory holding the file and its {@code node_modules}
     * @param file    the test file name
     * @param env     extra environment (e.g. {@code PARLEY_URL})
     * @param timeout seconds before the run is killed and failed
     */
    public static void run(File dir, String file, Map<String, String> env, long timeout)
            throws IOException, InterruptedException {
        String node = System.getProperty("parley.node", "node");
        if (!new File(dir, "node_modules").isDirectory()) {
            throw new AssertionError(dir + "/node_modules is missing: run `npm ci` there (Maven does it in "
                    + "generate-test-resources), with Node.js 20+ installed");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(node, "--test", "--test-reporter=spec", file))
                .directory(dir).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot start '" + node + "': install Node.js 20+ (apt-get install nodejs npm)",
                    e);
        }
        Deque<String> tail = new ArrayDeque<>();
        StringBuilder all = new StringBuilder();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[" + file + "] " + line);
                    synchronized (tail) {
                        all.append(line).append('\n');
                        tail.addLast(line);
                        if (tail.size() > 60) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "node-output-" + file);
        pump.start();
        boolean finished = p.waitFor(timeout, TimeUnit.SECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        pump.join(5000);
        String output;
        synchronized (tail) {
            output = String.join("\n", tail);
        }
        assertThat(finished).as("%s did not finish within %d s:%n%s", file, timeout, output).isTrue();
        assertThat(p.exitValue()).as("%s failed:%n%s", file, output).isZero();
        Matcher m = PASS.matcher(all);
        assertThat(m.find() && Integer.parseInt(m.group(1)) > 0).as("%s ran no passing test:%n%s", file, output)
                .isTrue();
    }
}
