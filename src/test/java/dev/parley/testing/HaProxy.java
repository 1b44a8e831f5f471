package dev.parley.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The real HAProxy 2.6 (the Debian package, {@code /usr/sbin/haproxy}) as a load balancer in front of
 * several Socket.IO nodes for tests: sticky sessions by a cookie HAProxy inserts ({@code PARLEYNODE},
 * naming the node; works behind NAT and for clients sharing an address), the WebSocket upgrade passed
 * through ({@code timeout tunnel}), a node that stops answering its health check left out, its
 * clients sent elsewhere ({@code option redispatch}). The config is checked with {@code haproxy -c}
 * before it runs; HAProxy runs in the foreground on a free port of 127.0.0.1, its output (the HTTP log
 * included) streamed to stdout prefixed {@code [haproxy:<port>]}. The user-facing part of the config
 * is {@link #siteConfig}, the block the README's "Scaling out" section shows.
 * {@link #stop()} kills it, {@link #close()} also deletes its temp dir. Fails saying
 * {@code apt-get install haproxy} when the binary is missing.
 */
public final class HaProxy implements AutoCloseable {

    private static final String BINARY = System.getProperty("parley.haproxy", "/usr/sbin/haproxy");
    /** {@code option httplog}: client, [date], frontend, backend/server, timers, status. */
    private static final Pattern LOG = Pattern.compile("\\S+ \\[[^]]+] \\S+ \\S+/node(\\d+) \\S+ (\\d{3}) ");

    private final Path dir;
    private final int port;
    private final Process process;
    private final List<Integer> nodePorts;
    private final List<String> output;

    private HaProxy(Path dir, int port, Process process, List<Integer> nodePorts, List<String> output) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.nodePorts = nodePorts;
        this.output = output;
    }

    /**
     * The part of haproxy.cfg a deployment copies: defaults, the frontend and the sticky backend.
     *
     * @param bind      the frontend's {@code bind} argument ({@code :80}, {@code 127.0.0.1:8080})
     * @param nodePorts the nodes' ports on 127.0.0.1
     */
    public static String siteConfig(String bind, List<Integer> nodePorts) {
        String servers = IntStream.range(0, nodePorts.size())
                .mapToObj(i -> "    server node" + (i + 1) + " 127.0.0.1:" + nodePorts.get(i)
                        + " check inter 1s cookie node" + (i + 1) + "\n")
                .collect(Collectors.joining());
        return "defaults\n"
                + "    mode http\n"
                + "    log global\n"
                + "    option httplog\n"
                + "    timeout connect 5s\n"
                + "    # a long-polling GET is held until there is a packet: a ping at the latest (25 s)\n"
                + "    timeout client 60s\n"
                + "    timeout server 60s\n"
                + "    # an upgraded WebSocket is a tunnel: Socket.IO's pings keep it busier than this\n"
                + "    timeout tunnel 1h\n"
                + "\n"
                + "frontend socketio\n"
                + "    bind " + bind + "\n"
                + "    default_backend parley_nodes\n"
                + "\n"
                + "backend parley_nodes\n"
                + "    balance roundrobin\n"
                + "    # sticky: the first response names the node in a cookie, later requests carry it\n"
                + "    cookie PARLEYNODE insert indirect nocache\n"
                + "    # a node that is down: its clients reconnect to another one\n"
                + "    option redispatch\n"
                + "    retries 2\n"
                + servers;
    }

    /** The whole haproxy.cfg the harness runs: the global section (log to stdout) and the site. */
    static String mainConfig(int listenPort, List<Integer> nodePorts) {
        return "global\n"
                + "    maxconn 8192\n"
                + "    log stdout format raw local0\n"
                + "\n"
                + siteConfig("127.0.0.1:" + listenPort, nodePorts);
    }

    /**
     * Writes the config, checks it with {@code haproxy -c}, starts HAProxy on a free port of 127.0.0.1
     * in front of {@code nodePorts} and waits until it accepts.
     */
    public static HaProxy start(List<Integer> nodePorts) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(BINARY + " is missing: install HAProxy (apt-get install haproxy)");
        }
        int port = LocalProcess.freePort();
        Path dir = Files.createTempDirectory("parley-haproxy");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, mainConfig(port, nodePorts));
        Process check = new ProcessBuilder(BINARY, "-c", "-f", cfg.toString()).redirectErrorStream(true).start();
        String checkOutput = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(20, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new AssertionError("haproxy -c rejected the config:\n" + checkOutput);
        }
        Process p = new ProcessBuilder(BINARY, "-db", "-f", cfg.toString()).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        LocalProcess.pump(p, "[haproxy:" + port + "] ", output::add);
        LocalProcess.awaitListening(p, port, "haproxy");
        return new HaProxy(dir, port, p, List.copyOf(nodePorts), output);
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The node ports that have answered a request (2xx or 101) through HAProxy so far, from its log. */
    public Set<Integer> servedNodePorts() {
        Set<Integer> served = new TreeSet<>();
        for (String line : output) {
            Matcher m = LOG.matcher(line);
            if (m.find() && (m.group(2).startsWith("1") || m.group(2).startsWith("2"))) {
                served.add(nodePorts.get(Integer.parseInt(m.group(1)) - 1));
            }
        }
        return served;
    }

    /** Kills HAProxy at once. */
    public void stop() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
