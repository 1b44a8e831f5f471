package dev.parley.standalone;

import dev.parley.admin.AdminUiServlet;
import dev.parley.engine.EngineServer;
import dev.parley.engine.OutboundBound;
import dev.parley.transport.polling.PollingServlet;
import dev.parley.transport.websocket.EngineEndpointConfigurator;
import dev.parley.transport.websocket.GatheringFrameWriter;
import dev.parley.transport.websocket.RawFrameWriter;
import dev.parley.transport.websocket.TyrusChannels;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.DeploymentException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.servlet.WebappContext;

/**
 * Parley without an application server: one Grizzly listener on the given host and port carrying
 * both the WebSocket endpoint (through Tyrus) and the polling servlet of each mounted engine, plus
 * optionally the demo pages. Start with {@link #start}, stop with {@link #close}.
 */
public final class StandaloneServer implements AutoCloseable {

    /**
     * One engine served at its path; {@code serveClient} also serves the client bundle there, and a
     * non-null {@code adminUiPath} the Admin UI's static files at that path.
     */
    public record Mount(EngineServer engine, boolean serveClient, String adminUiPath) {
        public Mount(EngineServer engine, boolean serveClient) {
            this(engine, serveClient, null);
        }
    }

    /** A servlet served at one path (a servlet URL pattern) on the same listener (metrics, health). */
    public record Page(String path, HttpServlet servlet) {
    }

    private final HttpServer http;
    private final EmbeddedTyrusContainer tyrus;
    private final NetworkListener listener;
    private final GatheringFrameWriter gathering;
    private final HttpTimeouts timeouts;
    private final UpgradedReads upgradedReads;
    private final GrizzlyWorkers workers;

    private StandaloneServer(HttpServer http, EmbeddedTyrusContainer tyrus, NetworkListener listener,
                             GatheringFrameWriter gathering, HttpTimeouts timeouts, UpgradedReads upgradedReads,
                             GrizzlyWorkers workers) {
        this.workers = workers;
        this.upgradedReads = upgradedReads;
        this.http = http;
        this.tyrus = tyrus;
        this.listener = listener;
        this.gathering = gathering;
        this.timeouts = timeouts;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and serves the mounts. The listener's HTTP
     * timeouts and WebSocket message limit are the strictest of the mounts' settings.
     *
     * @param serveWebapp whether to serve the demo pages at {@code /}
     */
    public static StandaloneServer start(String host, int port, List<Mount> mounts, boolean serveWebapp)
            throws IOException {
        return start(host, port, mounts, serveWebapp, List.of());
    }

    /** As {@link #start(String, int, List, boolean)}, also serving {@code pages}, each at its URL pattern. */
    public static StandaloneServer start(String host, int port, List<Mount> mounts, boolean serveWebapp,
                                         List<Page> pages) throws IOException {
        int maxPayload = mounts.stream().mapToInt(m -> m.engine().options().maxPayload()).max().orElse(1_000_000);
        // Tyrus reads frames only after WebSocketFrameLimit, which keeps its buffer from overflowing.
        EmbeddedTyrusContainer tyrus = new EmbeddedTyrusContainer(WebSocketFrameLimit.tyrusBufferSize(maxPayload));
        // One writer thread for every mount that writes natively (websocket-writes); each mount's
        // clients may fall as far behind as its engine's max-buffered-bytes allows before they are dropped
        // (the session decides, OutboundBound; the writer's own limit is the backstop above it).
        GatheringFrameWriter gathering = mounts.stream().noneMatch(m -> m.engine().options().nativeWebSocketWrites())
                ? null : new GatheringFrameWriter(new TyrusChannels(GrizzlyAbort::terminate), Integer.MAX_VALUE,
                        "parley-ws-writer");
        try {
            for (Mount m : mounts) {
                RawFrameWriter raw = !m.engine().options().nativeWebSocketWrites() ? RawFrameWriter.NONE
                        : gathering.limitedTo(OutboundBound.backstopBytes(m.engine().options().maxBufferedBytes()));
                tyrus.register(EngineEndpointConfigurator.endpointConfig(m.engine(), raw));
            }
        } catch (DeploymentException e) {
            closeQuietly(gathering);
            throw new IOException("cannot register the WebSocket endpoint: " + e.getMessage(), e);
        }

        HttpServer http = new HttpServer();
        NetworkListener listener = new NetworkListener("parley", host, port);
        listener.registerAddOn(GrizzlyTyrusBridge.webSocketAddOn(tyrus));
        // After Tyrus's add-on, whose filter it wraps: refused upgrades get an HTTP status, not a 101.
        UpgradedReads upgradedReads = new UpgradedReads();
        listener.registerAddOn(new UpgradeGate(mounts.stream().map(Mount::engine).toList(), upgradedReads));
        // In place of Grizzly's idle timeout, which would cut idle WebSockets and never sees idle
        // HTTP connections: HTTP deadlines that end at the upgrade (from then on liveness is the
        // Engine.IO heartbeat's job), and the WebSocket message limit checked before Tyrus.
        HttpTimeouts timeouts = new HttpTimeouts(
                mounts.stream().mapToLong(m -> m.engine().options().httpHeaderTimeoutMillis()).min().orElse(20_000),
                mounts.stream().mapToLong(m -> m.engine().options().httpKeepAliveTimeoutMillis()).min().orElse(5_000));
        // After the gate, whose filter it hands reads to, before the guards, whose raw-byte filter calls it: after
        // its 101 a WebSocket's bytes skip the HTTP codec, which lets go of the upgrade request (about 10 KiB each).
        listener.registerAddOn(upgradedReads);
        listener.registerAddOn(new ConnectionGuards(timeouts, new WebSocketFrameLimit(maxPayload), upgradedReads));
        // Grizzly's file cache serves only what its own static-file handlers cached: none here.
        listener.registerAddOn(new NoFileCache());
        http.addListener(listener);
        // Grizzly's worker pool, wrapped so that the polling servlet's answers decided during a dispatch start
        // only once Grizzly is done with that dispatch (GrizzlyWorkers); stopped here, not by the transport.
        GrizzlyWorkers workers = GrizzlyWorkers.install(listener.getTransport());
        // Grizzly fails a write once more than 4 × the socket's send buffer waits for a connection
        // (its default), which would lose a slow reader's frames without telling its session. Each
        // session bounds what waits for it (OutboundBound, max-buffered-bytes and -packets), with the
        // reason "slow consumer", so Grizzly's own limit is lifted.
        listener.getTransport().getAsyncQueueIO().getWriter()
                .setMaxPendingBytesPerConnection(AsyncQueueWriter.UNLIMITED_SIZE);

        WebappContext context = new WebappContext("parley", "");
        List<String> names = new ArrayList<>();
        for (Mount m : mounts) {
            String name = "polling" + names.size();
            names.add(name);
            // Poll answers and POST outcomes on Grizzly's worker pool, which runs the servlet already:
            // bounded, its threads warm, instead of AsyncContext.start's unbounded cached pool.
            ServletRegistration.Dynamic reg = context.addServlet(name,
                    new PollingServlet(m.engine(), m.serveClient(), workers));
            reg.addMapping(m.engine().options().path() + "*");
            reg.setAsyncSupported(true);
        }
        for (Page p : pages) {
            context.addServlet("page" + names.size(), p.servlet()).addMapping(p.path());
            names.add(p.path());
        }
        for (Mount m : mounts) {
            if (m.adminUiPath() != null) {
                context.addServlet("admin-ui" + names.size(), new AdminUiServlet(m.adminUiPath()))
                        .addMapping(AdminUiServlet.mapping(m.adminUiPath()));
                names.add("admin-ui");
            }
        }
        if (serveWebapp) {
            context.addServlet("webapp", new StaticResourceServlet()).addMapping("/");
        }
        context.deploy(http);
        SelectorThreadServlets.install(http);
        try {
            http.start();
            tyrus.start("", listener.getPort());
        } catch (DeploymentException e) {
            stopAll(http, gathering, timeouts, workers);
            throw new IOException("cannot start the WebSocket container: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            stopAll(http, gathering, timeouts, workers);
            throw e;
        }
        return new StandaloneServer(http, tyrus, listener, gathering, timeouts, upgradedReads, workers);
    }

    /** The bound port (the real one when started with port 0). */
    public int port() {
        return listener.getPort();
    }

    /** The Grizzly listener (for tests that watch its connections). */
    NetworkListener listener() {
        return listener;
    }

    /** Whether Grizzly's HTTP codec still holds a request for this connection (for tests). */
    boolean holdsHttpRequest(org.glassfish.grizzly.Connection<?> connection) {
        return upgradedReads.holdsRequest(connection);
    }

    @Override
    public void close() {
        tyrus.stop();
        stopAll(http, gathering, timeouts, workers);
    }

    private static void stopAll(HttpServer http, GatheringFrameWriter gathering, HttpTimeouts timeouts,
                                GrizzlyWorkers workers) {
        http.shutdownNow();
        workers.shutdown();
        closeQuietly(gathering);
        timeouts.close();
    }

    private static void closeQuietly(GatheringFrameWriter gathering) {
        if (gathering != null) {
            gathering.close();
        }
    }
}
