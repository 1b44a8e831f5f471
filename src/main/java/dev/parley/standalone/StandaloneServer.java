package dev.parley.standalone;

import dev.parley.engine.EngineServer;
import dev.parley.transport.polling.PollingServlet;
import dev.parley.transport.websocket.EngineEndpointConfigurator;
import dev.parley.transport.websocket.GatheringFrameWriter;
import dev.parley.transport.websocket.RawFrameWriter;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.DeploymentException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.servlet.WebappContext;

/**
 * Parley without an application server: one Grizzly listener on the given host and port carrying
 * both the WebSocket endpoint (through Tyrus) and the polling servlet of each mounted engine, plus
 * optionally the demo pages. Start with {@link #start}, stop with {@link #close}.
 */
public final class StandaloneServer implements AutoCloseable {

    /** One engine served at its path; {@code serveClient} also serves the client bundle there. */
    public record Mount(EngineServer engine, boolean serveClient) {
    }

    private final HttpServer http;
    private final EmbeddedTyrusContainer tyrus;
    private final NetworkListener listener;
    private final GatheringFrameWriter gathering;

    private StandaloneServer(HttpServer http, EmbeddedTyrusContainer tyrus, NetworkListener listener,
                             GatheringFrameWriter gathering) {
        this.http = http;
        this.tyrus = tyrus;
        this.listener = listener;
        this.gathering = gathering;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and serves the mounts.
     *
     * @param serveWebapp whether to serve the demo pages at {@code /}
     */
    public static StandaloneServer start(String host, int port, List<Mount> mounts, boolean serveWebapp)
            throws IOException {
        int maxPayload = mounts.stream().mapToInt(m -> m.engine().options().maxPayload()).max().orElse(1_000_000);
        EmbeddedTyrusContainer tyrus = new EmbeddedTyrusContainer(maxPayload);
        GrizzlyRawChannels channels = GrizzlyRawChannels.create();
        // A client may fall this far behind (4 largest messages, at least 4 MiB) before it is dropped.
        int maxQueued = (int) Math.min(Integer.MAX_VALUE, Math.max(4L * maxPayload, 4L << 20));
        GatheringFrameWriter gathering = channels == null ? null
                : new GatheringFrameWriter(channels, maxQueued, "parley-ws-writer");
        RawFrameWriter raw = gathering == null ? RawFrameWriter.NONE : gathering;
        try {
            for (Mount m : mounts) {
                tyrus.register(EngineEndpointConfigurator.endpointConfig(m.engine(), raw));
            }
        } catch (DeploymentException e) {
            closeQuietly(gathering);
            throw new IOException("cannot register the WebSocket endpoint: " + e.getMessage(), e);
        }

        HttpServer http = new HttpServer();
        NetworkListener listener = new NetworkListener("parley", host, port);
        // Liveness is the Engine.IO heartbeat's job; Grizzly's idle timeout would cut idle WebSockets.
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
        listener.registerAddOn(GrizzlyTyrusBridge.webSocketAddOn(tyrus));
        http.addListener(listener);

        WebappContext context = new WebappContext("parley", "");
        List<String> names = new ArrayList<>();
        for (Mount m : mounts) {
            String name = "polling" + names.size();
            names.add(name);
            ServletRegistration.Dynamic reg = context.addServlet(name, new PollingServlet(m.engine(), m.serveClient()));
            reg.addMapping(m.engine().options().path() + "*");
            reg.setAsyncSupported(true);
        }
        if (serveWebapp) {
            context.addServlet("webapp", new StaticResourceServlet()).addMapping("/");
        }
        context.deploy(http);
        http.start();
        try {
            tyrus.start("", listener.getPort());
        } catch (DeploymentException e) {
            http.shutdownNow();
            closeQuietly(gathering);
            throw new IOException("cannot start the WebSocket container: " + e.getMessage(), e);
        }
        return new StandaloneServer(http, tyrus, listener, gathering);
    }

    /** The bound port (the real one when started with port 0). */
    public int port() {
        return listener.getPort();
    }

    @Override
    public void close() {
        tyrus.stop();
        http.shutdownNow();
        closeQuietly(gathering);
    }

    private static void closeQuietly(GatheringFrameWriter gathering) {
        if (gathering != null) {
            gathering.close();
        }
    }
}
