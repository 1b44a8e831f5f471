package dev.parley.standalone;

import dev.parley.health.HealthServlet;
import dev.parley.server.ParleyServer;
import java.util.List;

/** The health endpoints of the standalone server: under {@code health-path} when {@code health} is on. */
final class HealthPage {

    private HealthPage() {
    }

    /** The page serving {@code server}'s liveness and readiness, or none when {@code health} is off. */
    static List<StandaloneServer.Page> of(ParleyServer server) {
        if (!server.options().health()) {
            return List.of();
        }
        return List.of(new StandaloneServer.Page(server.options().healthPath() + "/*", new HealthServlet(server)));
    }
}
