package dev.parley.transport.websocket;

import dev.parley.engine.EngineRequest;
import dev.parley.engine.Verdict;

/**
 * The engine's verdict on an upgrade, reached while its HTTP request was alive (the only time the
 * container's user and roles can be asked), with the request it judged, for the endpoint to act on
 * when the connection opens: open a new session ({@link Verdict.Admitted}), upgrade a polling
 * session ({@link Verdict.Existing}), or close at once (a container that upgraded a request Parley
 * could not refuse before the 101).
 */
record UpgradeOutcome(EngineRequest request, Verdict verdict) {
}
