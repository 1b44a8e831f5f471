package dev.parley.adapter.redis;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Logs a malformed message from Redis once per kind (WARNING) and drops it: another node or a
 * stranger on the same channels must never kill this node nor flood its log.
 */
final class MalformedLog {

    private static final Logger LOG = Logger.getLogger(MalformedLog.class.getName());

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    void dropped(String kind, String channel, Exception why) {
        if (seen.add(kind)) {
            LOG.warning("dropped a malformed " + kind + " from Redis channel " + channel + ": " + why.getMessage()
                    + " (further ones of this kind are dropped silently)");
        }
    }
}
