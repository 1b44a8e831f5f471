package dev.parley.adapter.redis;

import dev.parley.adapter.AdapterHealth;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The state of a Redis adapter's connections, and its log: once (INFO) when they are first all up,
 * once (WARNING) when the first connection drops, once (INFO) when every connection is back, however
 * many reconnection attempts and failed publishes happen in between. {@link #state()} is what health
 * checks show. Thread-safe: Lettuce reports from its event loop threads.
 */
final class OutageLog {

    private static final Logger LOG = Logger.getLogger(OutageLog.class.getName());

    private final Object lock = new Object();
    private final String where;
    private final int connections;
    private final Set<Object> up = ConcurrentHashMap.newKeySet();
    private boolean connectedOnce;
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
            if (up.size() < connections) {
                return;
            }
            if (!connectedOnce) {
                connectedOnce = true;
                LOG.info("Redis at " + where + " connected: cross-node traffic on");
            } else if (down) {
                LOG.info("Redis at " + where + " is reachable again: cross-node traffic resumes");
            }
            down = false;
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

    /**
     * Connected once every connection is up (or, for a client the application owns and whose events
     * this log never sees, from the start); reconnecting during an outage; down once closing.
     */
    AdapterHealth.State state() {
        synchronized (lock) {
            return closing ? AdapterHealth.State.DOWN
                    : down ? AdapterHealth.State.RECONNECTING : AdapterHealth.State.CONNECTED;
        }
    }

    /** From now on, connections closing are the factory's doing, no outage. */
    void closing() {
        synchronized (lock) {
            closing = true;
        }
    }
}
