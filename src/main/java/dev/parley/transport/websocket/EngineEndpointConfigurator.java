package dev.parley.transport.websocket;

import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import dev.parley.engine.Verdict;
import dev.parley.engine.Compression;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(EngineEndpointConfigurator.class.getName());

    private final EngineServer engine;
    private final RawFrameWriter raw;
    private final boolean ownDeflate;

    public EngineEndpointConfigurator(EngineServer engine, RawFrameWriter raw) {
        this(engine, raw, false);
    }

    /** @param ownDeflate whether the endpoint's config installs Parley's permessage-deflate ({@link #deflateExtensions}) */
    private EngineEndpointConfigurator(EngineServer engine, RawFrameWriter raw, boolean ownDeflate) {
        this.engine = engine;
        this.raw = raw;
        this.ownDeflate = ownDeflate;
    }

    /** Registers the endpoint for {@code engine} at its configured path (portable API only). */
    public static ServerEndpointConfig endpointConfig(EngineServer engine) {
        return endpointConfig(engine, RawFrameWriter.NONE);
    }

    /** As above, writing whole frames through {@code raw} where it can. */
    public static ServerEndpointConfig endpointConfig(EngineServer engine, RawFrameWriter raw) {
        List<Extension> extensions = deflateExtensions(engine.options().compression(), engine.options().maxPayload());
        return ServerEndpointConfig.Builder.create(EngineWebSocketEndpoint.class, engine.options().path())
                .configurator(new EngineEndpointConfigurator(engine, raw, !extensions.isEmpty()))
                .extensions(extensions)
                .build();
    }

    /**
     * The extensions to install: Parley's permessage-deflate ({@link TyrusPerMessageDeflate}) when the
     * {@code per-message-deflate} setting is on and the container is Tyrus (the standalone server,
     * Payara), whose extension SPI lets Parley compress the frames itself. Elsewhere none: the portable
     * API has no way to add an extension's processing. Undertow negotiates, for an endpoint added by
     * configuration, only the extensions the configuration lists, so its own {@code per-message-deflate}
     * does not reach this endpoint; listing it was tried (WildFly 39): negotiated, but the server's
     * messages still went out uncompressed. Should a container negotiate one anyway, its sessions use
     * the portable API ({@link EngineWebSocketEndpoint}).
     */
    static List<Extension> deflateExtensions(Compression compression, int maxPayload) {
        if (!compression.perMessageDeflate()) {
            return List.of();
        }
        try {
            Class.forName("org.glassfish.tyrus.core.extension.ExtendedExtension", false,
                    EngineEndpointConfigurator.class.getClassLoader());
            return List.of(TyrusPerMessageDeflate.create(compression, maxPayload));
        } catch (ClassNotFoundException | LinkageError notTyrus) {
            LOG.log(Level.WARNING, "per-message-deflate is on, but this container is not Tyrus: Parley cannot add "
                    + "permessage-deflate here (the portable API has no extension SPI); WebSocket messages go "
                    + "uncompressed");
            return List.of();
        }
    }

    /** Whether the endpoint's connections negotiate Parley's own permessage-deflate, when they negotiate one. */
    boolean ownDeflate() {
        return ownDeflate;
    }

    /** The engine the endpoint's connections belong to. */
    EngineServer engine() {
        return engine;
    }

    /** Where the endpoint's connections may write whole frames directly. */
    RawFrameWriter raw() {
        return raw;
    }

    /**
     * The container's choice among the offers Parley can honour: a permessage-deflate offer asking
     * a smaller server window than the JDK's deflater has is left out ({@link DeflateOffers}).
     */
    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return super.getNegotiatedExtensions(installed, DeflateOffers.acceptable(requested));
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
            if (!UpgradeHandOver.keptUntilOpen(engine)) {
                sec.getUserProperties().put(OUTCOME_KEY, handedOver);
            }
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
        return (T) new EngineWebSocketEndpoint();
    }
}
