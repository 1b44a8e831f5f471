package dev.parley.transport.websocket;

import dev.parley.engine.Admission;
import dev.parley.engine.EngineError;
import dev.parley.engine.EngineRefusal;
import dev.parley.engine.EngineRequest;

/**
 * What the configurator decided about an upgrade while its HTTP request was alive (the only time
 * the container's user and roles can be asked), for the endpoint to act on when the connection
 * opens: go on with an {@link Admission} (a new session) or without one (an upgrade of a polling
 * session), or close at once with a protocol error or a policy refusal.
 */
record UpgradeOutcome(EngineRequest request, Admission admission, EngineError error, EngineRefusal refusal) {

    static UpgradeOutcome admitted(EngineRequest request, Admission admission) {
        return new UpgradeOutcome(request, admission, null, null);
    }

    static UpgradeOutcome failed(EngineRequest request, EngineError error) {
        return new UpgradeOutcome(request, null, error, null);
    }

    static UpgradeOutcome refused(EngineRequest request, EngineRefusal refusal) {
        return new UpgradeOutcome(request, null, null, refusal);
    }
}
