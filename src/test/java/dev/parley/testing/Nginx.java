package dev.parley.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The real nginx (the Debian package, {@code /usr/sbin/nginx}) as a load balancer in front of several
 * Socket.IO nodes for tests: sticky sessions by client address ({@code hash $remote_addr consistent};
 * clients connect from different loopback addresses 127.0.0.2, 127.0.0.3, …), the WebSocket upgrade
 * passed through, long read timeout, no buffering. Listens on a free port of 127.0.0.1. Everything it
 * writes (config, pid, temp files, access log) lives in a temp dir; its error log goes to stdout
 * prefixed {@code [nginx:<port>]}. The user-facing part of the config is {@link #siteConfig}, the block
 * the README's "Scaling out" section shows ({@code cluster.ScalingOutReadmeTest} keeps them equal).
 *
 * <p>{@link #upstreamByClient()} reads the access log ({@code $remote_addr $upstream_addr …}) to tell
 * which node served which client. {@link #stop()} kills nginx; {@link #close()} also deletes the dir.
 * {@link #check} runs {@code nginx -t} on a site block ({@code docker.DockerFilesTest} on {@code docker/nginx.conf}).
 * Fails saying {@code apt-get install nginx} when the binary is missing.
 */
public final class Nginx implements AutoCloseable {

    private static final String BINARY = System.getProperty("parley.nginx", "/usr/sbin/nginx");

    /** {@code $remote_addr $upstream_addr $status}: the last node tried and what it answered. */
    private static final Pattern ACCESS = Pattern.compile("^(\\S+) (?:.*, )?127\\.0\\.0\\.1:(\\d+) (\\d{3}) ");

    private final Path dir;
    private final int port;
    private final Process process;

    private Nginx(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * The part of the config a deployment copies (inside {@code http { }}): the upstream of the nodes
     * with sticky sessions and the server proxying {@code /socket.io/} with the WebSocket upgrade.
     *
     * @param listen    nginx's {@code listen} argument ({@code 80}, {@code 127.0.0.1:8080})
     * @param nodePorts the nodes' ports on 127.0.0.1
     */
    public static String siteConfig(String listen, List<Integer> nodePorts) {
        return siteConfigFor(listen, nodePorts.stream().map(p -> "127.0.0.1:" + p).toList());
    }

    /**
     * {@link #siteConfig} with the nodes given as {@code host:port} addresses, e.g. the services of
     * {@code docker/docker-compose.yml} ({@code parley1:3000}), whose {@code docker/nginx.conf} is this block.
     */
    public static String siteConfigFor(String listen, List<String> nodeAddresses) {
        String servers = nodeAddresses.stream().map(a -> "    server " + a + ";\n").collect(Collectors.joining());
        return "upstream parley_nodes {\n"
                + "    # sticky: the same client address always reaches the same node (long-polling needs it)\n"
                + "    hash $remote_addr consistent;\n"
                + servers
                + "}\n"
                + "\n"
                + "map $http_upgrade $connection_upgrade {\n"
                + "    default upgrade;\n"
                + "    ''      close;\n"
                + "}\n"
                + "\n"
                + "server {\n"
                + "    listen " + listen + ";\n"
                + "\n"
                + "    location /socket.io/ {\n"
                + "        proxy_pass http://parley_nodes;\n"
                + "        proxy_http_version 1.1;\n"
                + "        proxy_set_header Upgrade $http_upgrade;\n"
                + "        proxy_set_header Connection $connection_upgrade;\n"
                + "        proxy_set_header Host $host;\n"
                + "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                + "        proxy_read_timeout 1h;\n"
                + "        proxy_send_timeout 1h;\n"
                + "        proxy_buffering off;\n"
                + "        proxy_request_buffering off;\n"
                + "    }\n"
                + "}\n";
    }

    /** The whole nginx.conf the harness runs: process settings (all paths in {@code dir}) around the site. */
    static String mainConfig(Path dir, int listenPort, List<Integer> nodePorts) {
        return mainConfig(dir, siteConfig("127.0.0.1:" + listenPort, nodePorts));
    }

    /** {@code site} (what goes inside {@code http { }}) wrapped in the process settings, every path in {@code dir}. */
    private static String mainConfig(Path dir, String siteConfig) {
        boolean root = "root".equals(System.getProperty("user.name"));
        String site = siteConfig.lines().map(l -> l.isEmpty() ? l : "    " + l).collect(Collectors.joining("\n"));
        return (root ? "user root;\n" : "") // as root, workers would run as nobody, who cannot use the temp dir
                + "worker_processes 1;\n"
                + "daemon off;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log stderr notice;\n"
                + "events { worker_connections 8192; }\n"
                + "http {\n"
                + "    log_format cluster '$remote_addr $upstream_addr $status $request_method $uri';\n"
                + "    access_log " + dir.resolve("access.log") + " cluster;\n"
                + "    client_body_temp_path " + dir.resolve("client_body") + ";\n"
                + "    proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + site + "\n"
                + "}\n";
    }

    /**
     * Checks {@code siteConfig} (what goes inside {@code http { }}) with {@code nginx -t} in a temp dir
     * and returns nginx's report; fails with that report when nginx rejects it. Names in it must resolve
     * here: nginx looks up an upstream's host names when it loads the config.
     */
    public static String check(String siteConfig) throws Exception {
        requireBinary();
        Path dir = Files.createTempDirectory("parley-nginx-check");
        try {
            Files.writeString(dir.resolve("nginx.conf"), mainConfig(dir, siteConfig));
            Process p = new ProcessBuilder(BINARY, "-t", "-p", dir.toString(), "-e", "stderr", "-c",
                    dir.resolve("nginx.conf").toString()).redirectErrorStream(true).start();
            String report = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("nginx -t rejected the config:\n" + report);
            }
            return report;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void requireBinary() {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(BINARY + " is missing: install nginx (apt-get install nginx)");
        }
    }

    /** Starts nginx on a free port of 127.0.0.1 in front of {@code nodePorts} and waits until it accepts. */
    public static Nginx start(List<Integer> nodePorts) throws Exception {
        requireBinary();
        int port = LocalProcess.freePort();
        Path dir = Files.createTempDirectory("parley-nginx");
        Files.writeString(dir.resolve("nginx.conf"), mainConfig(dir, port, nodePorts));
        Process p = new ProcessBuilder(BINARY, "-p", dir.toString(), "-e", "stderr", "-c",
                dir.resolve("nginx.conf").toString()).redirectErrorStream(true).start();
        LocalProcess.pump(p, "[nginx:" + port + "] ");
        LocalProcess.awaitListening(p, port, "nginx");
        return new Nginx(dir, port, p);
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * For each client address seen in the access log, the node port that served its last request
     * answered by a node (a request nginx could not hand to any node has no upstream port).
     */
    public Map<String, Integer> upstreamByClient() throws IOException {
        Map<String, Integer> byClient = new LinkedHashMap<>();
        Path log = dir.resolve("access.log");
        if (!Files.exists(log)) {
            return byClient;
        }
        for (String line : Files.readAllLines(log)) {
            Matcher m = ACCESS.matcher(line);
            // "$upstream_addr" lists every node tried ("127.0.0.1:1, 127.0.0.1:2"): the last one served
            if (m.find() && (m.group(3).startsWith("1") || m.group(3).startsWith("2"))) { // 101 or 200: served
                byClient.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return byClient;
    }

    /** Kills nginx (SIGKILL on the master; the worker exits when it sees its master gone). */
    public void stop() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
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
