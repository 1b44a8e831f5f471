package dev.parley.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Node script that serves on a free port and prints {@code PORT <n>} (e.g. {@code src/test/node/interop-server.cjs}),
 * run from the Node test project so it finds its {@code node_modules}; its output is streamed, prefixed, to stdout.
 * {@link #close()} closes its stdin, which such a script takes as the signal to exit, and kills it if it does not.
 */
public final class NodeServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private NodeServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code script} in {@code dir} and waits up to 20 s for its port.
     *
     * @throws AssertionError when {@code dir/node_modules/socket.io} is missing or the script ends without a port
     */
    public static NodeServerProcess start(File dir, String script) throws Exception {
        return start(dir, script, Map.of());
    }

    /** As {@link #start(File, String)}, with command-line arguments for the script. */
    public static NodeServerProcess start(File dir, String script, String... args) throws Exception {
        return start(dir, script, Map.of(), args);
    }

    /**
     * As {@link #start(File, String)}, with more environment variables for the script (e.g. {@code REDIS_URL})
     * and command-line arguments.
     */
    public static NodeServerProcess start(File dir, String script, Map<String, String> env, String... args)
            throws Exception {
        File modules = new File(dir, "node_modules/socket.io");
        if (!modules.isDirectory()) {
            throw new AssertionError(modules.getAbsolutePath() + " is missing: run `npm ci` in "
                    + dir.getAbsolutePath() + " (Node.js 20+; Maven does it in generate-test-resources)");
        }
        List<String> command = new ArrayList<>(List.of(System.getProperty("parley.node", "node"), script));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[" + script + "] " + line);
                    if (line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.completeExceptionally(new AssertionError(script + " ended without printing its port"));
        }, "node-output-" + script);
        pump.setDaemon(true);
        pump.start();
        try {
            return new NodeServerProcess(p, port.get(20, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close(); // its stdin ends: it exits
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
