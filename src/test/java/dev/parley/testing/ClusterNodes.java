package dev.parley.testing;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N Socket.IO server processes sharing one Redis, each on its own free port of 127.0.0.1, all serving
 * the benchmark contract (every socket joins room {@code bench}; a {@code bench} event is broadcast to
 * the room across the cluster; {@code echo} is acknowledged). Ports are fixed when the cluster starts,
 * so a load balancer configured in front keeps working across {@link #kill(int)} and
 * {@link #restart(int)}. {@link #close()} stops every node (SIGTERM, then SIGKILL after 10 s).
 */
public final class ClusterNodes implements AutoCloseable {

    /** What a node is: the command that runs it on a port against a Redis URL, and where. */
    public enum Kind {
        /**
         * Node Socket.IO 4.8 with the official {@code @socket.io/redis-adapter} 8
         * ({@code src/test/node/cluster/node-redis-server.cjs}).
         */
        NODE_REDIS {
            @Override
            List<String> command(int port, String redisUrl) {
                return List.of(System.getProperty("parley.node", "node"), "cluster/node-redis-server.cjs",
                        "--host", "127.0.0.1", "--port", String.valueOf(port), "--redis-url", redisUrl);
            }

            @Override
            File dir() {
                File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
                if (!new File(dir, "node_modules/@socket.io/redis-adapter").isDirectory()) {
                    throw new AssertionError(dir.getAbsolutePath() + "/node_modules is missing or old: run `npm ci`"
                            + " there (Node.js 20+; Maven does it in generate-test-resources)");
                }
                return dir;
            }
        },
        /**
         * Parley's standalone jar in bench mode with the Redis pub/sub adapter
         * ({@code java -jar target/parley-standalone.jar --bench --adapter redis --redis-url … --port P}).
         * Needs {@code mvn package} (the jar).
         */
        PARLEY_REDIS {
            @Override
            List<String> command(int port, String redisUrl) {
                return parley(port, "--adapter", "redis", "--redis-url", redisUrl);
            }

            @Override
            File dir() {
                return parleyDir();
            }
        },
        /**
         * Parley's standalone jar in bench mode with the Redis Streams adapter and connection state
         * recovery ({@code --adapter redis-streams --recovery-max-disconnection 120000}): a client whose node
         * stopped recovers on another node.
         */
        PARLEY_STREAMS {
            @Override
            List<String> command(int port, String redisUrl) {
                return parley(port, "--adapter", "redis-streams", "--redis-url", redisUrl,
                        "--recovery-max-disconnection", "120000");
            }

            @Override
            File dir() {
                return parleyDir();
            }
        };

        private static List<String> parley(int port, String... adapter) {
            String java = System.getProperty("java.home") + "/bin/java";
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar().getAbsolutePath(),
                    "--bench"));
            command.addAll(List.of(adapter));
            command.addAll(List.of("--host", "127.0.0.1", "--port", String.valueOf(port)));
            return command;
        }

        private static File parleyDir() {
            jar();
            return new File(".");
        }

        private static File jar() {
            File jar = new File(System.getProperty("parley.standaloneJar", "target/parley-standalone.jar"));
            if (!jar.isFile()) {
                throw new AssertionError(jar.getAbsolutePath() + " is missing: build it (mvn -o package "
                        + "-DskipTests)");
            }
            return jar;
        }

        abstract List<String> command(int port, String redisUrl);

        abstract File dir();
    }

    private final Kind kind;
    private final String redisUrl;
    private final List<Integer> ports;
    private final Object lock = new Object();
    private final Process[] processes;

    private ClusterNodes(Kind kind, String redisUrl, List<Integer> ports) {
        this.kind = kind;
        this.redisUrl = redisUrl;
        this.ports = List.copyOf(ports);
        this.processes = new Process[ports.size()];
    }

    /** Starts {@code n} nodes of {@code kind} against {@code redisUrl} and waits until each accepts. */
    public static ClusterNodes start(Kind kind, int n, String redisUrl) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int p;
            do {
                p = LocalProcess.freePort();
            } while (ports.contains(p));
            ports.add(p);
        }
        ClusterNodes nodes = new ClusterNodes(kind, redisUrl, ports);
        try {
            for (int i = 0; i < n; i++) {
                nodes.launch(i);
            }
        } catch (Exception | AssertionError e) {
            nodes.close();
            throw e;
        }
        return nodes;
    }

    public Kind kind() {
        return kind;
    }

    /** The nodes' ports, node 0 first. */
    public List<Integer> ports() {
        return ports;
    }

    public int port(int i) {
        return ports.get(i);
    }

    /** Whether node {@code i} runs. */
    public boolean alive(int i) {
        synchronized (lock) {
            return processes[i] != null && processes[i].isAlive();
        }
    }

    private void launch(int i) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(kind.command(ports.get(i), redisUrl)).directory(kind.dir())
                .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot start " + pb.command() + (kind == Kind.NODE_REDIS
                    ? ": install Node.js 20+ (apt-get install nodejs npm)" : ""), e);
        }
        synchronized (lock) {
            processes[i] = p;
        }
        LocalProcess.pump(p, "[" + kind.name().toLowerCase() + "-" + i + ":" + ports.get(i) + "] ");
        LocalProcess.awaitListening(p, ports.get(i), kind + " node " + i);
    }

    /** Kills node {@code i} at once (SIGKILL: a crash; its clients see their connections drop). */
    public void kill(int i) throws InterruptedException {
        Process p;
        synchronized (lock) {
            p = processes[i];
            processes[i] = null;
        }
        if (p != null) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Stops node {@code i} as an operator does (SIGTERM: it closes its server, so its sockets leave as at
     * a shutdown, which a recovering adapter stores), and waits for it to end.
     */
    public void stop(int i) throws InterruptedException {
        Process p;
        synchronized (lock) {
            p = processes[i];
            processes[i] = null;
        }
        if (p != null) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("node " + i + " did not stop within 20 s of SIGTERM");
            }
        }
    }

    /** Starts node {@code i} again on its port (killing it first if it runs) and waits until it accepts. */
    public void restart(int i) throws Exception {
        kill(i);
        launch(i);
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> running = new ArrayList<>();
        synchronized (lock) {
            for (int i = 0; i < processes.length; i++) {
                if (processes[i] != null) {
                    running.add(processes[i]);
                    processes[i] = null;
                }
            }
        }
        for (Process p : running) {
            p.destroy(); // SIGTERM: each kind closes its clients and Redis connections
        }
        for (Process p : running) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
