package dev.parley.transport.websocket;

import dev.parley.engine.EngineError;
import dev.parley.engine.EngineRefusal;
import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * Creates {@link EngineWebSocketEndpoint}s bound to one {@link EngineServer}, and judges each
 * upgrade request while it is alive: Origin, the engine's protocol checks, and for a new
 * connection its admission (limits, authentication with the container's user). The outcome goes
 * into the connection's user properties (since WebSocket 2.1 a per-connection copy, so concurrent
 * handshakes do not mix) for the endpoint to act on. The portable API cannot refuse an upgrade
 * here with an HTTP status, so a refused connection is closed as soon as it opens, before any
 * session exists.
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

    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        String raw = request.getQueryString();
        String uri = request.getRequestURI().getRawPath();
        Map<String, List<String>> headers = request.getHeaders();
        EngineRequest engineRequest = new EngineRequest("GET", raw == null ? uri : uri + "?" + raw,
                EngineRequest.parseQuery(raw), headers, EngineWebSocketEndpoint.remoteAddress(request),
                "wss".equals(request.getRequestURI().getScheme()), request.getUserPrincipal(),
                request::isUserInRole);
        sec.getUserProperties().put(OUTCOME_KEY, judge(engineRequest));
    }

    private UpgradeOutcome judge(EngineRequest request) {
        if (!engine.originAllowed(request)) {
            return UpgradeOutcome.refused(request, EngineRefusal.originNotAllowed());
        }
        EngineError error = engine.verify(request, true);
        if (error != null) {
            return UpgradeOutcome.failed(request, error);
        }
        if (request.queryParam("sid") != null) {
            return UpgradeOutcome.admitted(request, null); // an upgrade: the session was admitted by polling
        }
        try {
            return UpgradeOutcome.admitted(request, engine.admit(request));
        } catch (EngineRefusal refusal) {
            return UpgradeOutcome.refused(request, refusal);
        }
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
