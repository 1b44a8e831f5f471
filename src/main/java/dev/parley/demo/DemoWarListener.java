package dev.parley.demo;

import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.transport.polling.PollingServlet;
import dev.parley.transport.websocket.EngineEndpointConfigurator;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

/**
 * Boots the demo chat inside a servlet container ({@code target/parley.war}): registers the
 * polling servlet and the WebSocket endpoint at {@code /socket.io/} with portable APIs only, and
 * closes every session when the application is undeployed.
 */
@WebListener
public class DemoWarListener implements ServletContextListener {

    private ParleyServer server;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        server = new ParleyServer(ParleyOptions.defaults());
        DemoApp.install(server);
        String path = server.options().engine().path();
        ServletRegistration.Dynamic polling = context.addServlet("parley-polling",
                new PollingServlet(server.engine(), server.options().serveClient()));
        polling.addMapping(path + "*");
        polling.setAsyncSupported(true);
        ServerContainer container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("this container offers no Jakarta WebSocket ServerContainer");
        }
        try {
            container.addEndpoint(EngineEndpointConfigurator.endpointConfig(server.engine()));
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot register the Parley WebSocket endpoint at " + path, e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (server != null) {
            server.close();
        }
    }
}
