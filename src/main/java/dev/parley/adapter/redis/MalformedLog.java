package dev.parley.adapter.redis;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs malformed input read from Redis (a message on the cluster's channels, a stream entry, a
 * stored session) once per kind as a WARNING, then only at FINE, and the caller drops it: another
 * node, or anything else writing to the same channels and streams, sending garbage must neither kill
 * this node nor flood its log. One per adapter factory; thread-safe.
 */
final class MalformedLog {

    private static final Logger LOG = Logger.getLogger(MalformedLog.class.getName());

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** One dropped input of this kind, read from {@code where} (a channel or a stream). */
    void dropped(String kind, String where, Exception why) {
        String what = "dropped a malformed " + kind + (where.isEmpty() ? " from Redis" : " from Redis " + where);
        if (seen.add(kind)) {
            LOG.log(Level.WARNING, what + ": " + why.getMessage() + " (further ones of this kind are logged at FINE)");
        } else {
            LOG.log(Level.FINE, () -> what + ": " + why.getMessage()); // no stack trace: the input was bad, not us
        }
    }

    /** One dropped input of this kind. */
    void dropped(String kind, Exception why) {
        dropped(kind, "", why);
    }
}
