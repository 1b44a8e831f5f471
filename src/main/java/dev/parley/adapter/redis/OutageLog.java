package dev.parley.adapter.redis;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Logs a Redis outage once (WARNING, when the first connection drops) and the recovery once (INFO,
 * when every connection is back), however many reconnection attempts and failed publishes happen
 * in between. Thread-safe: Lettuce reports from its event loop threads.
 */
final class OutageLog {

    private static final Logger LOG = Logger.getLogger(OutageLog.class.getName());

    private final Object lock = new Object();
    private final String where;
    private final int connections;
    private final Set<Object> up = ConcurrentHashMap.newKeySet();
    private boolean down;
    private boolean closing;

    /** @param connections how many connections must be up for Redis to count as reachable */
    OutageLog(String where, int connections) {
        this.where = where;
        this.connections = connections;
    }

    void connected(Object connection) {
        synchronized (lock) {
            up.add(connection);
            if (down && up.size() >= connections) {
                down = false;
                LOG.info("Redis at " + where + " is reachable again: cross-node traffic resumes");
            }
        }
    }

    void disconnected(Object connection) {
        synchronized (lock) {
            up.remove(connection);
            if (!down && !closing) {
                down = true;
                LOG.warning("Redis at " + where + " is unreachable: this node keeps serving its own clients, "
                        + "cross-node broadcasts and requests fail until it is back (reconnecting with backoff)");
            }
        }
    }

    /** Whether an outage is under way (logged, not yet over). */
    boolean down() {
        synchronized (lock) {
            return down;
        }
    }

    /** From now on, connections closing are the factory's doing, no outage. */
    void closing() {
        synchronized (lock) {
            closing = true;
        }
    }
}
