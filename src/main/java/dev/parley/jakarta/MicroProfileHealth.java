package dev.parley.jakarta;

import dev.parley.server.Health;
import dev.parley.server.ParleyServer;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Renders a {@link Health} report of the application's {@link ParleyServer} as one MicroProfile
 * Health response named {@code parley}: up when every check is, each check's data under its name
 * ({@code parley-adapter.state}). An application whose Parley is not running (not enabled, or not
 * started yet) is not made unready by it: the response is up, saying so.
 */
final class MicroProfileHealth {

    static final String NAME = "parley";

    private MicroProfileHealth() {
    }

    static HealthCheckResponse of(ClassLoader loader, Function<ParleyServer, Health> report) {
        ParleyServer server = ParleyRegistry.of(loader);
        HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME);
        if (server == null) {
            return b.up().withData("state", "not running in this application").build();
        }
        Health health = report.apply(server);
        for (Health.Check c : health.checks()) {
            b.withData(c.name(), c.up() ? "UP" : "DOWN");
            for (Map.Entry<String, Object> e : c.data().entrySet()) {
                String key = c.name() + "." + e.getKey();
                if (e.getValue() instanceof Number n) {
                    b.withData(key, n.longValue());
                } else {
                    b.withData(key, String.valueOf(e.getValue()));
                }
            }
        }
        return b.status(health.up()).build();
    }
}
