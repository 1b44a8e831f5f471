package dev.parley.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet of official socket.io-client 4.8 clients in one Node process
 * ({@code src/test/node/cluster/cluster-clients.mjs}) connected to a cluster through a load balancer;
 * client {@code i} connects from 127.0.0.(2+i) unless {@link Options#sameAddress}. The fleet's events
 * (connections, disconnections, {@code bench} events received) are kept here for the test to await and
 * assert on; {@link #send} makes a client emit {@code bench}. {@link #close()} ends the process.
 */
public final class ClusterClients implements AutoCloseable {

    /**
     * @param transports  engine.io-client's {@code transports}, e.g. {@code "polling,websocket"} or
     *                    {@code "polling"}
     * @param sameAddress all clients from 127.0.0.1 (for a cookie-sticky balancer)
     * @param credentials keep cookies ({@code withCredentials}: engine.io-client's cookie jar in Node)
     */
    public record Options(String transports, boolean sameAddress, boolean credentials) {
        public static Options defaults() {
            return new Options("polling,websocket", false, false);
        }
    }

    private final Process process;
    private final OutputStream commands;
    private final int count;
    private final Object lock = new Object();
    private final boolean[] connected;
    private final int[] connects;
    private final int[] recoveries;
    private final String[] transport;
    private final Map<String, Map<Integer, AtomicInteger>> received = new ConcurrentHashMap<>();
    private final List<String> errors = new ArrayList<>();

    private ClusterClients(Process process, int count) {
        this.process = process;
        this.commands = process.getOutputStream();
        this.count = count;
        this.connected = new boolean[count];
        this.connects = new int[count];
        this.recoveries = new int[count];
        this.transport = new String[count];
    }

    /** Starts {@code count} clients towards {@code url} (e.g. the load balancer's). */
    public static ClusterClients start(String url, int count, Options options) throws IOException {
        File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        if (!new File(dir, "node_modules/socket.io-client").isDirectory()) {
            throw new AssertionError(dir.getAbsolutePath() + "/node_modules is missing: run `npm ci` there "
                    + "(Node.js 20+; Maven does it in generate-test-resources)");
        }
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("parley.node", "node"),
                "cluster/cluster-clients.mjs", "--url", url, "--clients", String.valueOf(count), "--transports",
                options.transports()));
        if (options.sameAddress()) {
            cmd.add("--same-address");
        }
        if (options.credentials()) {
            cmd.add("--credentials");
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start '" + cmd.get(0) + "': install Node.js 20+ (apt-get install nodejs npm)",
                    e);
        }
        ClusterClients clients = new ClusterClients(p, count);
        LocalProcess.pump(p, "[clients] ", clients::onLine);
        return clients;
    }

    private void onLine(String line) {
        String[] f = line.split(" ", 3);
        if (f.length < 3) {
            return;
        }
        int i;
        try {
            i = Integer.parseInt(f[1]);
        } catch (NumberFormatException notOurs) {
            return;
        }
        switch (f[0]) {
            case "CONNECTED" -> {
                synchronized (lock) {
                    connected[i] = true;
                    connects[i]++;
                    String[] details = f[2].split(" ");
                    transport[i] = details[1];
                    if (details.length > 2 && details[2].equals("true")) {
                        recoveries[i]++;
                    }
                }
            }
            case "UPGRADED" -> {
                synchronized (lock) {
                    transport[i] = f[2];
                }
            }
            case "DISCONNECTED" -> {
                synchronized (lock) {
                    connected[i] = false;
                }
            }
            case "GOT" -> received.computeIfAbsent(f[2], k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
            default -> {
                synchronized (lock) {
                    if (f[0].equals("CONNECT_ERROR")) {
                        errors.add(line);
                    }
                }
            }
        }
    }

    public int count() {
        return count;
    }

    /** The loopback address client {@code i} connects from. */
    public String address(int i) {
        return "127.0.0." + (2 + i);
    }

    public boolean allConnected() {
        synchronized (lock) {
            for (boolean c : connected) {
                if (!c) {
                    return false;
                }
            }
            return true;
        }
    }

    public boolean connected(int i) {
        synchronized (lock) {
            return connected[i];
        }
    }

    /** How many times client {@code i} has connected (1 + its reconnections). */
    public int connects(int i) {
        synchronized (lock) {
            return connects[i];
        }
    }

    /** How many of client {@code i}'s reconnections recovered its session (socket.io-client's {@code recovered}). */
    public int recoveries(int i) {
        synchronized (lock) {
            return recoveries[i];
        }
    }

    /** Client {@code i}'s current transport name ({@code polling} or {@code websocket}), null before it connects. */
    public String transport(int i) {
        synchronized (lock) {
            return transport[i];
        }
    }

    /** The {@code connect_error} lines seen so far, for failure messages. */
    public List<String> errors() {
        synchronized (lock) {
            return List.copyOf(errors);
        }
    }

    /** Client {@code i} emits {@code bench} with {@code payload} (no spaces needed, none expected). */
    public void send(int i, String payload) throws IOException {
        synchronized (lock) {
            commands.write(("SEND " + i + " " + payload + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        }
    }

    /** How many clients have received {@code payload} at least once. */
    public int receivers(String payload) {
        return received.getOrDefault(payload, Map.of()).size();
    }

    /** How many copies of {@code payload} client {@code i} has received. */
    public int copies(String payload, int i) {
        AtomicInteger n = received.getOrDefault(payload, Map.of()).get(i);
        return n == null ? 0 : n.get();
    }

    /** The total of copies received beyond the first, over every payload and client. */
    public int duplicates() {
        return received.values().stream().flatMap(m -> m.values().stream()).mapToInt(n -> n.get() - 1).sum();
    }

    @Override
    public void close() throws Exception {
        try {
            commands.close(); // stdin ends: the fleet disconnects and exits
        } catch (IOException alreadyGone) {
            // the process has ended
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
