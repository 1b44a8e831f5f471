package dev.parley.health;

import dev.parley.protocol.socketio.Jsonp;
import dev.parley.server.Health;
import dev.parley.server.ParleyServer;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves one {@link ParleyServer}'s health on GET, mapped at {@code health-path/*}: {@code /live}
 * ({@link ParleyServer#liveness()}) and {@code /ready} ({@link ParleyServer#readiness()}). JSON in MicroProfile Health's shape
 * ({@code {"status":"UP","checks":[{"name":...,"status":...,"data":{...}}]}}), 200 when up, 503 when
 * down, never cached; anything else under the path is 404. It only renders: the server decides.
 * Portable Servlet API only: the standalone server maps it on its Grizzly listener, a WAR's
 * initializer registers it when {@code health} is on (so a {@code <security-constraint>} applies).
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ParleyServer server;

    public HealthServlet(ParleyServer server) {
        this.server = server;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String which = req.getPathInfo() == null ? "/" : req.getPathInfo();
        Health health;
        switch (which) {
            case "/live" -> health = server.liveness();
            case "/ready" -> health = server.readiness();
            default -> {
                resp.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
        }
        byte[] body = json(health).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(health.up() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** {@code health} as MicroProfile Health's JSON. */
    static String json(Health health) {
        JsonArrayBuilder checks = Jsonp.PROVIDER.createArrayBuilder();
        for (Health.Check c : health.checks()) {
            JsonObjectBuilder data = Jsonp.PROVIDER.createObjectBuilder();
            for (Map.Entry<String, Object> e : c.data().entrySet()) {
                if (e.getValue() instanceof Number n) {
                    data.add(e.getKey(), n.longValue());
                } else {
                    data.add(e.getKey(), String.valueOf(e.getValue()));
                }
            }
            checks.add(Jsonp.PROVIDER.createObjectBuilder().add("name", c.name()).add("status", status(c.up()))
                    .add("data", data));
        }
        return Jsonp.PROVIDER.createObjectBuilder().add("status", status(health.up())).add("checks", checks)
                .build().toString();
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
