package dev.parley.admin;

import dev.parley.server.AdminUiOptions;
import dev.parley.server.Namespace;
import dev.parley.server.ParleyServer;
import dev.parley.server.RemoteSocket;
import dev.parley.server.Socket;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server side of the official Socket.IO Admin UI ({@code @socket.io/admin-ui} 0.5.x), installed on
 * a {@link ParleyServer} by the bootstraps when {@link AdminUiOptions#enabled()}: the {@code /admin}
 * namespace with its login ({@link AdminAuthentication}), which sends each admin socket
 * {@code config} ({@code supportedFeatures}) and, in development mode, {@code all_sockets}; every 2 s
 * {@code server_stats} to the namespace, on the server's timer; the UI's commands
 * ({@link AdminCommands}) unless read-only; the live events of {@link AdminObserver}; the aggregated
 * events of {@code server_stats} from the engine's counters ({@link AggregatedEvents}). Across a cluster
 * (a Redis adapter) the UI connected to any node sees every node, as with the reference: each node's
 * {@code server_stats} and live events reach the admin sockets of all nodes through the adapter (named by
 * {@link AdminUiOptions#serverId()}), {@code all_sockets} is fetched from every node, and the commands
 * address sockets wherever they are.
 */
public final class AdminUi implements AutoCloseable {

    /** The namespace the UI connects to, as the reference's default {@code namespaceName}. */
    public static final String NAMESPACE = "/admin";
    static final long STATS_PERIOD_MILLIS = 2000;
    private static final Logger LOG = Logger.getLogger(AdminUi.class.getName());

    private final ParleyServer server;
    private final Namespace admin;
    private final AggregatedEvents events;
    private final JsonObject identity;
    private final AutoCloseable stats;

    private AdminUi(ParleyServer server, AdminUiOptions options) {
        this.server = server;
        this.admin = server.of(NAMESPACE);
        this.events = new AggregatedEvents(server::trafficTotals, System::currentTimeMillis);
        String hostname = hostname();
        String serverId = options.serverId() != null ? options.serverId() : hostname;
        this.identity = Json.createObjectBuilder().add("serverId", serverId).add("hostname", hostname)
                .add("pid", ProcessHandle.current().pid()).build();
        boolean verbose = !options.production();
        List<String> features = features(options);
        AdminAuthentication login = new AdminAuthentication(options);
        AdminCommands commands = options.readonly() ? null : new AdminCommands(server);
        admin.use(login);
        admin.onConnection(socket -> {
            if (commands != null) {
                commands.register(socket);
            }
            login.sendSession(socket);
            socket.emit("config", Json.createObjectBuilder().add("supportedFeatures",
                    Json.createArrayBuilder(features)).build());
            if (verbose) {
                allSockets().thenAccept(all -> socket.emit("all_sockets", all));
            }
        });
        server.observe(new AdminObserver(admin, verbose));
        emitStats();
        this.stats = server.every(STATS_PERIOD_MILLIS, this::emitStats);
    }

    /** Installs the Admin UI's server side on {@code server} as its options say ({@code enabled} must be true). */
    public static AdminUi install(ParleyServer server) {
        AdminUiOptions options = server.options().adminUi();
        if (!options.enabled()) {
            throw new IllegalStateException("the Admin UI is off in this server's options");
        }
        return new AdminUi(server, options);
    }

    /** The features {@code config} announces, in the reference's order. */
    static List<String> features(AdminUiOptions options) {
        List<String> out = new ArrayList<>();
        if (!options.readonly()) {
            out.addAll(List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"));
        }
        out.add("AGGREGATED_EVENTS");
        if (!options.production()) {
            out.add("ALL_EVENTS");
        }
        return out;
    }

    /**
     * Every socket of every namespace, on every node when the adapter spans several (each namespace's
     * {@code fetchSockets}, as the reference does), described for the UI. This node's sockets are
     * described from themselves (with their connection's id and transport, which other nodes' answers
     * do not carry). A namespace whose fetch fails (the adapter lost its Redis) lists this node's
     * sockets alone rather than none. Completes on the adapter's thread, or at once without a cluster.
     */
    private CompletableFuture<JsonArray> allSockets() {
        List<CompletableFuture<List<JsonObject>>> parts = new ArrayList<>();
        for (Namespace nsp : server.namespaces().values()) {
            parts.add(nsp.fetchSockets()
                    .thenApply(remote -> remote.stream().map(r -> describe(nsp, r)).toList())
                    .exceptionally(failed -> {
                        LOG.log(Level.FINE, "Admin UI: the sockets of " + nsp.name()
                                + " fetched from this node only", failed);
                        return nsp.sockets().values().stream().map(SocketDescription::of).toList();
                    }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            JsonArrayBuilder out = Json.createArrayBuilder();
            parts.forEach(p -> p.join().forEach(out::add));
            return out.build();
        });
    }

    private static JsonObject describe(Namespace nsp, RemoteSocket remote) {
        Socket local = nsp.sockets().get(remote.id());
        return local != null ? SocketDescription.of(local)
                : SocketDescription.of(remote.id(), null, null, nsp.name(), remote.data(), remote.handshake(),
                        remote.rooms());
    }

    private void emitStats() {
        JsonArrayBuilder namespaces = Json.createArrayBuilder();
        server.namespaces().values().forEach(nsp -> namespaces.add(Json.createObjectBuilder()
                .add("name", nsp.name()).add("socketsCount", nsp.sockets().size())));
        JsonObject stats = Json.createObjectBuilder(identity)
                .add("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0)
                .add("clientsCount", server.connectionCount())
                .add("pollingClientsCount", server.pollingConnectionCount())
                .add("aggregatedEvents", events.sinceLast())
                .add("namespaces", namespaces).build();
        admin.emit("server_stats", stats);
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Stops the statistics and the observing; the {@code /admin} namespace stays (namespaces are never removed). */
    @Override
    public void close() {
        try {
            stats.close();
        } catch (Exception ignored) {
            // a timer task's handle: nothing to report
        }
        server.observe(null);
    }
}
