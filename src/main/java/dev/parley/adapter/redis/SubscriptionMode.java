package dev.parley.adapter.redis;

/**
 * How the sharded adapter subscribes, as {@code subscriptionMode} of @socket.io/redis-adapter's
 * sharded adapter: {@code STATIC} two channels per namespace (its own and this node's responses);
 * {@code DYNAMIC} (the default) also one channel per public room this node has sockets in, so a
 * broadcast to one room reaches only the nodes with members; {@code DYNAMIC_PRIVATE} the same for
 * private rooms (socket ids) too.
 */
public enum SubscriptionMode {
    STATIC, DYNAMIC, DYNAMIC_PRIVATE
}
