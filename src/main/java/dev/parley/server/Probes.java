package dev.parley.server;

import dev.parley.adapter.AdapterHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides whether a {@link ParleyServer} is live and ready; the HTTP endpoints
 * and the MicroProfile checks only render what it says.
 * <ul>
 *   <li><b>live</b> while the server runs or stops gracefully: a process that still answers is not
 *       helped by a restart, whatever Redis does (an adapter's outage is shown, not counted);</li>
 *   <li><b>ready</b> while it runs (not stopping: a stopping server refuses new connections) and its
 *       adapter reaches the other nodes (a node cut off from Redis would take clients whose
 *       broadcasts never reach the rest of the cluster).</li>
 * </ul>
 */
final class Probes {

    static final String SERVER_CHECK = "parley";
    static final String ADAPTER_CHECK = "parley-adapter";

    private Probes() {
    }

    static Health liveness(ParleyServer server) {
        ParleyServer.State state = server.state();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", state.wire());
        data.put("connections", server.engine().sessionCount());
        return new Health(List.of(new Health.Check(SERVER_CHECK, state != ParleyServer.State.STOPPED, data)));
    }

    static Health readiness(ParleyServer server) {
        ParleyServer.State state = server.state();
        Map<String, Object> serverData = new LinkedHashMap<>();
        serverData.put("state", state.wire());
        serverData.put("connections", server.engine().sessionCount());
        AdapterHealth adapter = server.options().adapterFactory().health();
        Map<String, Object> adapterData = new LinkedHashMap<>();
        adapterData.put("adapter", adapter.adapter());
        adapterData.put("state", adapter.state().wire());
        return new Health(List.of(
                new Health.Check(SERVER_CHECK, state == ParleyServer.State.RUNNING, serverData),
                new Health.Check(ADAPTER_CHECK, adapter.up(), adapterData)));
    }
}
