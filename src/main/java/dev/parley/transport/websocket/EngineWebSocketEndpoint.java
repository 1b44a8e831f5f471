package dev.parley.transport.websocket;

import dev.parley.engine.EngineError;
import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import dev.parley.engine.EngineSession;
import dev.parley.engine.Verdict;
import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Engine.IO WebSocket endpoint: one instance per connection, glue between a Jakarta WebSocket
 * session and an {@link EngineSession}. It acts on the engine's {@link Verdict} on the upgrade
 * ({@link EngineEndpointConfigurator}): an admitted connection opens a new session, one with the
 * {@code sid} of a polling session probes an upgrade. Refused upgrades are normally answered with
 * an HTTP status before the 101 ({@link UpgradeFilter}); one a container upgraded without asking
 * first is closed at once, before any session exists, with the error JSON as close reason: code
 * 1002 (protocol error) for protocol errors, 1008 (policy violation) for refusals (origin,
 * authentication, limits).
 *
 * <p>A programmatic endpoint rather than an annotated one because its path is configurable, which
 * an annotation's is not (Tyrus uses the annotation's path even when a config names another):
 * {@link EngineEndpointConfigurator#endpointConfig} registers it at the engine's path with the
 * portable {@code ServerContainer.addEndpoint}, on Tyrus and Undertow alike.
 *
 * <p>The endpoint is also its connection's text message handler ({@link #onMessage}), one object less
 * per connection; containers read the message type from the generic interface it implements. It
 * keeps only its transport: the engine, the raw writer and whether the deflate is Parley's are its
 * configurator's, which {@link #onOpen} finds in the endpoint's config (12 bytes less per connection,
 * with the padding, than fields of every endpoint).
 */
public class EngineWebSocketEndpoint extends Endpoint implements MessageHandler.Whole<String> {

    private static final Logger LOG = Logger.getLogger(EngineWebSocketEndpoint.class.getName());

    private WebSocketTransport transport;

    /** Made by {@link EngineEndpointConfigurator#getEndpointInstance}, whose config this endpoint is registered with. */
    EngineWebSocketEndpoint() {
    }

    @Override
    public void onOpen(Session ws, EndpointConfig config) {
        // The config this endpoint was registered with (EngineEndpointConfigurator.endpointConfig): containers
        // hand the registered one to onOpen, so its configurator is Parley's.
        EngineEndpointConfigurator of = (EngineEndpointConfigurator) ((ServerEndpointConfig) config).getConfigurator();
        EngineServer engine = of.engine();
        // Pre-built frames go below the container: fine with no extension, and with Parley's own
        // permessage-deflate, whose compressed frames need no per-connection context (the transport
        // picks the compressed or plain frame of each packet). Any other extension is the container's
        // to apply: the portable API then.
        List<Extension> negotiated = ws.getNegotiatedExtensions();
        boolean deflate = of.ownDeflate() && DeflateOffers.negotiated(negotiated);
        boolean rawAllowed = negotiated.isEmpty() || (deflate && negotiated.size() == 1);
        transport = new WebSocketTransport(ws, rawAllowed ? of.raw().target(ws) : null, engine, deflate);
        UpgradeOutcome outcome = outcomeOf(ws, engine);
        Verdict verdict = outcome.verdict();
        if (verdict instanceof Verdict.Refused refused) {
            transport.closeNow(CloseReason.CloseCodes.VIOLATED_POLICY, refused.refusal().closeReason());
            return;
        }
        if (verdict instanceof Verdict.ProtocolError error) {
            transport.closeNow(CloseReason.CloseCodes.PROTOCOL_ERROR, error.error().json());
            return;
        }
        EngineRequest request = outcome.request();
        int max = engine.options().maxPayload();
        ws.setMaxTextMessageBufferSize(max);
        ws.setMaxBinaryMessageBufferSize(max);
        // Liveness is the heartbeat's job. Negative, not 0: both mean "never" in the API, but Tyrus
        // 2.1.6 schedules an idle-timeout task on its own thread for every message when the timeout
        // is 0 (a wake-up and a task per message), and only a negative value turns that off. Tyrus
        // 2.1.5 (Payara 6) schedules it whatever the value; TyrusIdleTimeouts stops that first.
        TyrusIdleTimeouts.skipWhenDisabled(ws);
        try {
            ws.setMaxIdleTimeout(-1);
        } catch (IllegalArgumentException refused) {
            ws.setMaxIdleTimeout(0);
        }
        // This endpoint for text, its transport for binary: classes, not lambdas, as containers read the
        // message type from the generic interface.
        ws.addMessageHandler(this);
        ws.addMessageHandler(transport);
        if (verdict instanceof Verdict.Admitted admitted) {
            // Frames are delivered only after onOpen returns, so binding afterwards loses nothing.
            transport.bind(engine.handshake(request, transport, admitted.admission()));
            return;
        }
        EngineSession session = ((Verdict.Existing) verdict).session();
        if (!session.beginUpgrade(transport)) {
            transport.closeNow(CloseReason.CloseCodes.PROTOCOL_ERROR, EngineError.BAD_REQUEST.json());
            return;
        }
        transport.bind(session);
    }

    /** A text message of this endpoint's connection (the container calls this: the endpoint is its text handler). */
    @Override
    public void onMessage(String frame) {
        EngineSession session = transport.session();
        if (session == null) {
            return;
        }
        EnginePacket packet;
        try {
            packet = EngineCodec.decodeText(frame);
        } catch (MalformedPacketException e) {
            session.onParseError(transport, e.getMessage());
            return;
        }
        session.onPacket(transport, packet);
    }

    @Override
    public void onClose(Session ws, CloseReason reason) {
        EngineSession session = transport == null ? null : transport.session();
        if (session != null) {
            session.onTransportClose(transport, "websocket closed: " + reason.getCloseCode().getCode());
        }
    }

    @Override
    public void onError(Session ws, Throwable error) {
        LOG.log(Level.FINE, "websocket error", error);
        EngineSession session = transport == null ? null : transport.session();
        if (session != null) {
            session.onTransportError(transport, String.valueOf(error.getMessage()));
        }
    }

    private static UpgradeOutcome outcomeOf(Session ws, EngineServer engine) {
        // Kept by the hand-over when the container opens inside its upgrade call (UpgradeHandOver), else
        // taken out of the session's properties: the engine session keeps the request, and a second
        // reference would only hold a copy of the headers for the life of the connection.
        Object captured = UpgradeHandOver.takeAtOpen(engine);
        if (captured == null) {
            captured = ws.getUserProperties().remove(EngineEndpointConfigurator.OUTCOME_KEY);
        }
        if (captured instanceof UpgradeOutcome outcome) {
            String address = outcome.request().remoteAddress() == null ? remoteAddress(ws) : null;
            if (address == null) {
                return outcome;
            }
            // Told only now (Undertow's HandshakeRequest has no address, when no UpgradeFilter judged
            // the request): the new session keeps the address, and an upgrade of a session bound to
            // its address is judged again with it. That asks for no admission, so nothing is counted.
            EngineRequest request = outcome.request().withRemoteAddress(address);
            Verdict verdict = outcome.verdict() instanceof Verdict.Existing ? engine.admit(request, true)
                    : outcome.verdict();
            return new UpgradeOutcome(request, verdict);
        }
        // A container that skipped the configurator: judge what the session tells.
        EngineRequest request = new EngineRequest("GET", ws.getRequestURI().toString(),
                EngineRequest.parseQuery(ws.getQueryString()), Map.of(), remoteAddress(ws), ws.isSecure(),
                ws.getUserPrincipal(), null);
        return new UpgradeOutcome(request, engine.admit(request, true));
    }

    /**
     * The peer address where the container exposes it. The portable API has none; Tyrus's session
     * and handshake request offer {@code getRemoteAddr()}, found by name so no container class is
     * needed here.
     */
    static String remoteAddress(Object sessionOrRequest) {
        try {
            Object v = sessionOrRequest.getClass().getMethod("getRemoteAddr").invoke(sessionOrRequest);
            return v == null ? null : v.toString();
        } catch (ReflectiveOperationException | RuntimeException notOffered) {
            return null;
        }
    }
}
