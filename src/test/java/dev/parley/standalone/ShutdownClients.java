package dev.parley.standalone;

import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Official socket.io-client 4.8 clients in one Node process ({@code src/test/node/shutdown/shutdown-clients.mjs})
 * on one transport, for the graceful-shutdown tests: every line they report ("CONNECTED i ...", "DISCONNECTED i
 * reason active", "GOT i last v", "ASKED i needs-ack") is kept, in order, for the test to await and assert on.
 * {@link #close()} ends the process. Public for the container tests (an undeploy seen by socket.io-client).
 */
public final class ShutdownClients implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private ShutdownClients(Process process) {
        this.process = process;
    }

    public static ShutdownClients start(String url, int count, String transport) throws IOException {
        return start(url, "/socket.io/", count, transport);
    }

    /** {@code count} clients on {@code transport} ({@code websocket} or {@code polling}) at {@code path}. */
    public static ShutdownClients start(String url, String path, int count, String transport) throws IOException {
        File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        if (!new File(dir, "node_modules/socket.io-client").isDirectory()) {
            throw new AssertionError(dir.getAbsolutePath() + "/node_modules is missing: run `npm ci` there "
                    + "(Node.js 20+; Maven does it in generate-test-resources)");
        }
        List<String> cmd = List.of(System.getProperty("parley.node", "node"), "shutdown/shutdown-clients.mjs",
                "--url", url, "--path", path, "--clients", String.valueOf(count), "--transport", transport);
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start '" + cmd.get(0) + "': install Node.js 20+ (apt-get install "
                    + "nodejs npm)", e);
        }
        ShutdownClients clients = new ShutdownClients(p);
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[shutdown-clients] " + line);
                    clients.lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "output-shutdown-clients");
        pump.setDaemon(true);
        pump.start();
        return clients;
    }

    /** Every line so far, in order. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines starting with {@code kind + " "} (e.g. {@code "CONNECTED"}), in order. */
    public List<String> lines(String kind) {
        List<String> found = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith(kind + " ")) {
                found.add(l);
            }
        }
        return found;
    }

    /** How many "CONNECTED" lines client {@code i} reported. */
    public long connects(int i) {
        return lines("CONNECTED").stream().filter(l -> l.startsWith("CONNECTED " + i + " ")).count();
    }

    @Override
    public void close() throws Exception {
        try {
            process.getOutputStream().close(); // stdin ends: the clients disconnect and the process exits
        } catch (IOException alreadyGone) {
            // the process has ended
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
