package dev.parley.adapter.redis;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs malformed input read from Redis once per kind (a warning), then only at FINE: another node
 * (or anything else writing to the same channels and streams) sending garbage must neither kill
 * this node nor flood its log. Thread-safe.
 */
final class BadInputLog {

    private static final Logger LOG = Logger.getLogger(BadInputLog.class.getName());

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** Records one dropped message of this kind. */
    void dropped(String kind, Exception why) {
        if (seen.add(kind)) {
            LOG.log(Level.WARNING, "dropped a malformed message from Redis (" + kind + "): " + why.getMessage()
                    + "; further ones of this kind are logged at FINE");
        } else {
            LOG.log(Level.FINE, "dropped a malformed message from Redis (" + kind + ")", why);
        }
    }
}
