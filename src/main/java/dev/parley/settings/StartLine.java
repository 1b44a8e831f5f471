package dev.parley.settings;

import dev.parley.adapter.AdapterHealth;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one line a bootstrap logs (INFO) when a {@link ParleyServer} has started: where, which
 * adapter in which state, the namespaces, where health and metrics are served, and the settings
 * that were given ({@link Settings#given}: only those, so the defaults stay out of it, secrets masked).
 */
public final class StartLine {

    private StartLine() {
    }

    /**
     * @param where the server's address as the bootstrap knows it ({@code http://host:port/}, or the
     *              application and its Engine.IO path in a WAR)
     * @param given the settings given, from {@link Settings#given}
     */
    public static String of(String where, ParleyServer server, List<String> given) {
        return "Parley started at " + where + ": " + details(server, given);
    }

    /** The line without its head, for a bootstrap that says where in words of its own. */
    public static String details(ParleyServer server, List<String> given) {
        ParleyOptions o = server.options();
        AdapterHealth adapter = o.adapterFactory().health();
        List<String> parts = new ArrayList<>();
        parts.add("adapter " + adapter.adapter() + " (" + adapter.state().wire() + ")");
        parts.add(server.namespaceCount() + " namespace(s)");
        parts.add("health " + (o.health() ? o.healthPath() + "/{live,ready}" : "off"));
        parts.add("metrics " + (o.metrics() ? o.metricsPath() : "off"));
        return String.join(", ", parts) + "; settings given: "
                + (given.isEmpty() ? "none (all defaults)" : String.join(" ", given));
    }
}
