package dev.parley.jakarta.it.secure;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;

/**
 * The WebSocket half of the probe, registered the way Parley registers its engine endpoint: a
 * programmatic endpoint at {@code /whoami-ws/} added to the {@link ServerContainer} from a
 * listener. Its configurator reads the principal and the admin role from the
 * {@link HandshakeRequest} in {@code modifyHandshake}; the endpoint sends that, then what the
 * session itself reports, as its first text message (see {@link WhoAmI#opened}).
 */
@WebListener
public class WhoAmIEndpoints implements ServletContextListener {

    static final String HANDSHAKE = "whoami.handshake";
    static final String REQUEST = "whoami.request";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServerContainer container = (ServerContainer) event.getServletContext()
                .getAttribute(ServerContainer.class.getName());
        try {
            container.addEndpoint(ServerEndpointConfig.Builder.create(Probe.class, "/whoami-ws/")
                    .configurator(new Recorder()).build());
        } catch (DeploymentException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records what the handshake request says about its user. */
    public static class Recorder extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            config.getUserProperties().put(HANDSHAKE,
                    WhoAmI.report("handshake", request.getUserPrincipal(), request.isUserInRole("admin")));
            config.getUserProperties().put(REQUEST, request);
        }
    }

    /** Sends the handshake's record and the session's principal, once, on open. */
    public static class Probe extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            try {
                session.getBasicRemote().sendText(WhoAmI.opened(session));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
