package dev.parley.transport.websocket;

import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * Creates {@link EngineWebSocketEndpoint}s bound to one {@link EngineServer} and captures each
 * upgrade request (headers, query, URL) into the connection's user properties. Since WebSocket
 * 2.1 those properties are a per-connection copy, so concurrent handshakes do not mix.
 */
public class EngineEndpointConfigurator extends ServerEndpointConfig.Configurator {

    static final String REQUEST_KEY = "dev.parley.engine.request";

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
                "wss".equals(request.getRequestURI().getScheme()));
        sec.getUserProperties().put(REQUEST_KEY, engineRequest);
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
