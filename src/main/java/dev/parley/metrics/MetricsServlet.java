package dev.parley.metrics;

import dev.parley.server.ParleyServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves one {@link ParleyServer}'s meters ({@link ParleyMeters}) as Prometheus text on GET, from a
 * {@link PrometheusMeterRegistry} of its own. Portable Servlet API only: the standalone server maps
 * it on its Grizzly listener, a WAR's initializer registers it only when {@code metrics} is on (so a
 * {@code <security-constraint>} on its URL applies). Each GET reads the counters and walks the
 * sessions, namespaces and rooms once. The registry is closed with the servlet ({@link #destroy}).
 */
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The Prometheus text exposition format, as {@link PrometheusMeterRegistry#scrape()} writes it. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final transient PrometheusMeterRegistry registry;

    /**
     * A servlet with a registry of its own, {@code server}'s meters bound to it. A bootstrap calls
     * {@link MetricsSupport#check()} before it names this class: without Micrometer it cannot load.
     */
    public MetricsServlet(ParleyServer server) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ParleyMeters(server).bindTo(registry);
    }

    /** The registry behind this servlet, for an application that adds meters of its own. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    @Override
    public void destroy() {
        registry.close();
    }
}
