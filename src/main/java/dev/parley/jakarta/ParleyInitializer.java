package dev.parley.jakarta;

import dev.parley.admin.AdminUi;
import dev.parley.admin.AdminUiServlet;
import dev.parley.health.HealthServlet;
import dev.parley.metrics.MetricsServlet;
import dev.parley.metrics.MetricsSupport;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.settings.SettingSource;
import dev.parley.settings.StartLine;
import dev.parley.settings.Settings;
import dev.parley.transport.polling.PollingServlet;
import dev.parley.transport.websocket.ContainerWrites;
import dev.parley.transport.websocket.EngineEndpointConfigurator;
import dev.parley.transport.websocket.UpgradeFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Starts Parley in a WAR with no web.xml: the container hands it every {@link SocketNamespace}
 * class; it reads the settings (context parameters {@code parley.<name>}, overridden by
 * environment variables {@code PARLEY_<NAME>}, overridden by system properties
 * {@code parley.<name>}), checks every namespace class (a wrong one fails the deployment), and
 * registers the polling servlet, the WebSocket endpoint and the filter that refuses upgrades with
 * an HTTP status ({@link UpgradeFilter}) at the configured path with portable APIs. On undeploy every session is closed and Parley's threads stop.
 *
 * <p>A WAR without annotated namespaces starts Parley only when the context parameter
 * {@code parley.enabled} is {@code true} (it may still use the injected {@code ParleyServer}).
 */
@HandlesTypes(SocketNamespace.class)
public class ParleyInitializer implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(ParleyInitializer.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        List<Class<?>> annotated = new ArrayList<>();
        for (Class<?> c : classes == null ? Set.<Class<?>>of() : classes) {
            if (c.isAnnotationPresent(SocketNamespace.class)) {
                annotated.add(c);
            }
        }
        if (annotated.isEmpty() && !"true".equals(context.getInitParameter("parley.enabled"))) {
            return;
        }
        annotated.sort(Comparator.comparing(Class::getName));
        List<String> unknown = unknownParameters(context);
        if (!unknown.isEmpty()) {
            throw notStarted(context, "unknown setting(s) " + unknown + "; known: parley.enabled and parley."
                    + String.join(", parley.", Settings.names()), null);
        }
        ParleyOptions options;
        List<SettingSource> sources = List.of(SettingSource.systemProperties(), SettingSource.environment(),
                SettingSource.of("context parameter", "parley.", name -> context.getInitParameter("parley." + name)));
        try {
            options = Settings.options(ParleyOptions.defaults(), sources);
        } catch (IllegalArgumentException e) {
            throw notStarted(context, e.getMessage(), e);
        }
        List<AnnotatedNamespace> namespaces = new ArrayList<>();
        try {
            for (Class<?> c : annotated) {
                namespaces.add(AnnotatedNamespace.of(c));
            }
        } catch (NamespaceDefinitionException e) {
            throw notStarted(context, e.getMessage(), e);
        }

        ParleyServer server = new ParleyServer(options);
        for (AnnotatedNamespace ns : namespaces) {
            ns.register(server, NamespaceInstances.of(ns.type()));
        }
        if (options.adminUi().enabled()) {
            AdminUi.install(server); // stops with the server's timer
            context.addServlet("parley-admin-ui", new AdminUiServlet(options.adminUi().uiPath()))
                    .addMapping(AdminUiServlet.mapping(options.adminUi().uiPath()));
        }
        String path = options.engine().path();
        ServletRegistration.Dynamic polling = context.addServlet("parley-polling",
                new PollingServlet(server.engine(), options.serveClient()));
        polling.addMapping(path + "*");
        polling.setAsyncSupported(true);
        if (options.metrics()) {
            registerMetrics(context, server);
        }
        if (options.health()) {
            registerHealth(context, server);
        }
        // Ahead of the container's WebSocket filter (Tyrus and Undertow map theirs after the declared
        // ones; isMatchAfter=false puts this one first), so a refused upgrade gets its HTTP status
        // before the container answers 101. Exact path: the endpoint takes upgrades there only.
        FilterRegistration.Dynamic upgrades = context.addFilter("parley-upgrade", new UpgradeFilter(server.engine()));
        upgrades.setAsyncSupported(true);
        upgrades.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, path);
        ClassLoader loader = context.getClassLoader();
        context.setAttribute(ParleyServer.class.getName(), server);
        ParleyRegistry.register(loader, server);
        context.addListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                // Here, not in onStartup: the container's own WebSocket initializer (Tyrus's on Payara)
                // may run after this one, and it is what publishes the ServerContainer.
                ServerContainer container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
                try {
                    if (container == null) {
                        throw new IllegalStateException("Parley: this container offers no Jakarta WebSocket "
                                + "ServerContainer");
                    }
                    writes = ContainerWrites.choose(options.engine(), loader, "parley-ws-writer");
                    EngineEndpointConfigurator.register(container, server.engine(), writes.writer());
                    // The one start-up line: where, how frames are written, adapter, namespaces, endpoints, settings.
                    LOG.info(() -> "Parley at " + app(context) + path + ": WebSocket frames through "
                            + writes.description() + "; " + StartLine.details(server, Settings.given(sources)));
                } catch (DeploymentException | RuntimeException e) {
                    // A failed start gets no contextDestroyed: stop Parley's threads here.
                    ParleyRegistry.unregister(loader);
                    server.close();
                    closeWrites();
                    throw new IllegalStateException("Parley: cannot register the WebSocket endpoint at " + path
                            + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void contextDestroyed(ServletContextEvent event) {
                ParleyRegistry.unregister(loader);
                server.close();
                closeWrites();
            }

            /** The application's WebSocket writer (and its thread), once the endpoint is registered. */
            private ContainerWrites writes;

            private void closeWrites() {
                if (writes != null) {
                    writes.close();
                }
            }
        });
    }

    /**
     * The metrics servlet at {@code metrics-path}, registered here (only when {@code metrics} is on)
     * so the container's {@code <security-constraint>} on that URL applies to it like to any servlet
     * of the application. Micrometer is an optional dependency: without it the start fails saying so.
     */
    private static void registerMetrics(ServletContext context, ParleyServer server) throws ServletException {
        if (!MetricsSupport.available()) {
            server.close();
            throw notStarted(context, "metrics=true needs io.micrometer:micrometer-registry-prometheus in the "
                    + "application (WEB-INF/lib), or set parley.metrics=false", null);
        }
        String path = server.options().metricsPath();
        ServletRegistration.Dynamic metrics = context.addServlet("parley-metrics", new MetricsServlet(server));
        if (metrics == null) {
            server.close();
            throw notStarted(context, "a servlet named parley-metrics is already registered", null);
        }
        metrics.addMapping(path);
    }

    /**
     * The health servlet at {@code health-path/*} (only when {@code health} is on; see
     * {@link #registerMetrics} for why here). The MicroProfile checks ({@link ParleyReadinessCheck},
     * {@link ParleyLivenessCheck}) are CDI beans of their own, there whatever this setting says.
     */
    private static void registerHealth(ServletContext context, ParleyServer server) throws ServletException {
        ServletRegistration.Dynamic health = context.addServlet("parley-health", new HealthServlet(server));
        if (health == null) {
            server.close();
            throw notStarted(context, "a servlet named parley-health is already registered", null);
        }
        health.addMapping(server.options().healthPath() + "/*");
    }

    /**
     * The failure that stops the application's start, also logged as one SEVERE line of Parley's own:
     * Payara Micro logs "was successfully deployed" before it starts the application (and this
     * initializer), so the line that says the application is not running must stand out from the
     * container's stack traces.
     */
    private static ServletException notStarted(ServletContext context, String why, Exception cause) {
        String app = app(context);
        LOG.severe(() -> "Parley: application " + app + " NOT STARTED: " + why);
        return new ServletException("Parley: " + why, cause);
    }

    private static String app(ServletContext context) {
        return context.getContextPath().isEmpty() ? "/" : context.getContextPath();
    }

    /** Context parameters named {@code parley.*} that are no setting: a typo fails early. */
    static List<String> unknownParameters(ServletContext context) {
        List<String> unknown = new ArrayList<>();
        for (String p : Collections.list(context.getInitParameterNames())) {
            if (p.startsWith("parley.") && !p.equals("parley.enabled")
                    && !Settings.names().contains(p.substring("parley.".length()))) {
                unknown.add(p);
            }
        }
        return unknown;
    }
}
