package dev.parley.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (the Debian package) for tests: started in the foreground on a free
 * port bound to 127.0.0.1, nothing saved to disk, its output streamed to stdout prefixed with
 * {@code [redis:<port>]}; {@link #stop()} kills it (as a crash would), {@link #restart()} starts it
 * again on the same port, empty; {@link #close()} stops it for good. Fails saying what to install
 * when {@code redis-server} is missing.
 */
public final class RedisServer implements AutoCloseable {

    private static final String BINARY = System.getProperty("parley.redis-server", "redis-server");

    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisServer(int port, List<String> extraArgs) {
        this.port = port;
        this.extraArgs = extraArgs;
    }

    /** Starts a server on a free loopback port; {@code extraArgs} are more {@code redis-server} flags. */
    public static RedisServer start(String... extraArgs) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisServer server = new RedisServer(port, List.of(extraArgs));
        server.launch();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    private synchronized void launch() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", System.getProperty("java.io.tmpdir")));
        cmd.addAll(extraArgs);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run `" + BINARY + "`: install Redis (apt-get install redis-server)", e);
        }
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[redis:" + port + "] " + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "redis-output-" + port);
        pump.setDaemon(true);
        pump.start();
        process = p;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ping()) {
            if (!p.isAlive()) {
                throw new AssertionError("redis-server on port " + port + " exited with " + p.exitValue());
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("redis-server on port " + port + " did not answer PING within 20 s");
            }
            p.waitFor(20, TimeUnit.MILLISECONDS); // polling a process that gives no other signal
        }
    }

    /** Whether the server answers {@code PING} now. */
    public boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[7];
            int n = s.getInputStream().read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the server at once (SIGKILL: no goodbye to its clients, as a crash). */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Starts it again on the same port, empty (nothing was saved). */
    public synchronized void restart() throws Exception {
        stop();
        launch();
    }

    @Override
    public synchronized void close() throws InterruptedException {
        stop();
    }
}
