package dev.parley.standalone;

import dev.parley.metrics.MetricsServlet;
import dev.parley.metrics.MetricsSupport;
import dev.parley.server.ParleyServer;
import java.util.List;

/** The metrics endpoint of the standalone server: at {@code metrics-path} when {@code metrics} is on. */
final class MetricsPage {

    private MetricsPage() {
    }

    /**
     * The page serving {@code server}'s metrics, or none when {@code metrics} is off.
     *
     * @throws IllegalStateException when metrics are on and Micrometer is missing
     */
    static List<StandaloneServer.Page> of(ParleyServer server) {
        if (!server.options().metrics()) {
            return List.of();
        }
        MetricsSupport.check();
        return List.of(new StandaloneServer.Page(server.options().metricsPath(), new MetricsServlet(server)));
    }
}
