package dev.parley.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What the cluster harness does with every process it starts: a free port, its output, its readiness. */
final class LocalProcess {

    private LocalProcess() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void pump(Process p, String prefix) {
        pump(p, prefix, line -> { });
    }

    /** Streams the process's output to stdout, each line prefixed, and hands each line to {@code sink}. */
    static void pump(Process p, String prefix, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println(prefix + line);
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "output-" + prefix.replaceAll("[\\[\\] ]", ""));
        t.setDaemon(true);
        t.start();
    }

    /** Waits up to 20 s for 127.0.0.1:port to accept a connection; fails if the process ends first. */
    static void awaitListening(Process p, int port, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new AssertionError(what + " on port " + port + " exited with " + p.exitValue()
                            + " (its output is above)");
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError(what + " did not listen on port " + port + " within 20 s");
                }
                p.waitFor(50, TimeUnit.MILLISECONDS); // a process that gives no other readiness signal
            }
        }
    }
}
