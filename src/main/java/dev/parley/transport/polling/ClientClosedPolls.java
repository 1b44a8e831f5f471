package dev.parley.transport.polling;

import dev.parley.engine.EngineServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * Polling sessions the client has just closed (a POST carrying the close packet) while no poll of
 * theirs was waiting: the client may have sent that poll at the same moment as the POST (the public
 * suite's "forcefully closes the session" does, and so does a browser whose poll is in flight), and
 * the server may read the POST first. Such a poll is answered with the noop it would have received had
 * it been read first, once, instead of 400 "Session ID unknown"; every later poll for the session is
 * refused as before. An entry lives for one heartbeat period (pingInterval + pingTimeout, the time
 * after which a silent client counts as gone anyway): a poll sent before the close arrives long
 * before that, and the map stays as small as the rate of closes allows.
 *
 * <p>Thread-safe (a concurrent map; expiry runs as a short task on the engine's timer).
 */
final class ClientClosedPolls {

    private final EngineServer engine;
    private final Map<String, PollingTransport> closed = new ConcurrentHashMap<>();

    ClientClosedPolls(EngineServer engine) {
        this.engine = engine;
    }

    /** Remembers that the client closed {@code sid} while none of its polls was waiting. */
    void add(String sid, PollingTransport transport) {
        try {
            engine.schedule(() -> closed.remove(sid, transport),
                    engine.options().pingIntervalMillis() + engine.options().pingTimeoutMillis());
        } catch (RejectedExecutionException stopped) {
            return; // the server is stopping: an unknown sid is the right answer then
        }
        closed.put(sid, transport);
    }

    /** Takes the closed transport a late poll for {@code sid} may still be answered by, or {@code null}. */
    PollingTransport take(String sid) {
        return sid == null ? null : closed.remove(sid);
    }

    /** The transport answered its late poll itself (it was looked up before the session ended). */
    void forget(String sid, PollingTransport transport) {
        closed.remove(sid, transport);
    }
}
