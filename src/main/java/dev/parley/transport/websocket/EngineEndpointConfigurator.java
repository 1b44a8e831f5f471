package dev.parley.transport.websocket;

import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import dev.parley.engine.Verdict;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * Creates {@link EngineWebSocketEndpoint}s bound to one {@link EngineServer}, and gives each
 * upgrade its engine {@link Verdict} while the request is alive: the one reached in front of the
 * container's upgrade ({@link UpgradeFilter}, or the standalone server's Grizzly filter), handed
 * over by {@link UpgradeHandOver}, else its own. The verdict goes into the connection's user
 * properties (since WebSocket 2.1 a per-connection copy, so concurrent handshakes do not mix) for
 * the endpoint to act on. Only a verdict of its own can be a refusal (the filters answer theirs
 * with an HTTP status): the portable API cannot refuse an upgrade here with a status, so that
 * connection is closed as soon as it opens, before any session exists.
 */
public class EngineEndpointConfigurator extends ServerEndpointConfig.Configurator {

    static final String OUTCOME_KEY = "dev.parley.engine.upgrade";

    private final EngineServer engine;
    private final RawFrameWriter raw;

    public EngineEndpointConfigurator(EngineServer engine, RawFrameWriter raw) {
        this.engine = engine;
        this.raw = raw;
    }

    /** Registers the endpoint for {@code engine} at its configured path (portable API only). */
    public static ServerEndpointConfig endpointConfig(EngineServer engine) {
        return endpointConfig(engine, RawFrameWriter.NONE);
    }

    /** As above, writing whole frames through {@code raw} where it can. */
    public static ServerEndpointConfig endpointConfig(EngineServer engine, RawFrameWriter raw) {
        return ServerEndpointConfig.Builder.create(EngineWebSocketEndpoint.class, engine.options().path())
                .configurator(new EngineEndpointConfigurator(engine, raw))
                .build();
    }

    /**
     * Registers the endpoint for {@code engine} with an application's container, writing frames
     * through {@code raw} where it can, after the container quirks Parley knows are dealt with
     * (Tyrus 2.1.5's idle-timeout task per session, see {@link TyrusIdleTimeouts}).
     */
    public static void register(ServerContainer container, EngineServer engine, RawFrameWriter raw)
            throws DeploymentException {
        TyrusIdleTimeouts.skipWhenDisabled(container);
        container.addEndpoint(endpointConfig(engine, raw));
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        UpgradeOutcome handedOver = UpgradeHandOver.take(engine);
        if (handedOver != null) {
            sec.getUserProperties().put(OUTCOME_KEY, handedOver);
            return;
        }
        String raw = request.getQueryString();
        String uri = request.getRequestURI().getRawPath();
        Map<String, List<String>> headers = request.getHeaders();
        EngineRequest engineRequest = new EngineRequest("GET", raw == null ? uri : uri + "?" + raw,
                EngineRequest.parseQuery(raw), headers, EngineWebSocketEndpoint.remoteAddress(request),
                "wss".equals(request.getRequestURI().getScheme()), request.getUserPrincipal(),
                request::isUserInRole);
        sec.getUserProperties().put(OUTCOME_KEY, new UpgradeOutcome(engineRequest, engine.admit(engineRequest, true)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != EngineWebSocketEndpoint.class) {
            return super.getEndpointInstance(endpointClass);
        }
        return (T) new EngineWebSocketEndpoint(engine, raw);
    }
}
