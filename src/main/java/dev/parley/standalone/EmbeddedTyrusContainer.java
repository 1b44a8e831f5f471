package dev.parley.standalone;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Map;
import java.util.Set;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * A Tyrus server container that does not start a server of its own: its engine is plugged into our
 * Grizzly listener (see {@link GrizzlyTyrusBridge}), so WebSocket and HTTP share one port.
 */
final class EmbeddedTyrusContainer extends TyrusServerContainer {

    private final TyrusWebSocketEngine engine;

    /** @param incomingBufferSize Tyrus's read buffer per connection: the most of one frame it holds */
    EmbeddedTyrusContainer(int incomingBufferSize) {
        super(Set.<Class<?>>of());
        // A TyrusSession's constructor applies this default before any endpoint code runs: at 0 (the
        // default) it schedules an idle-timeout task with no delay on Tyrus's executor, one per
        // connection, and keeps its future for the session's life. Negative means "never" and schedules
        // nothing; the endpoint sets -1 on each session anyway (liveness is the heartbeat's job).
        setDefaultMaxSessionIdleTimeout(-1);
        this.engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferSize).build();
    }

    @Override
    public void register(Class<?> endpointClass) throws DeploymentException {
        engine.register(endpointClass, "");
    }

    @Override
    public void register(ServerEndpointConfig config) throws DeploymentException {
        engine.register(config, "");
    }

    @Override
    public WebSocketEngine getWebSocketEngine() {
        return engine;
    }

    @Override
    public Map<String, Object> getProperties() {
        return Map.of();
    }
}
