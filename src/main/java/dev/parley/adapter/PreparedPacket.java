package dev.parley.adapter;

/**
 * A packet already encoded for the wire by its namespace ({@link AdapterContext#prepare}), opaque
 * to adapters: a broadcast is prepared once and the same instance, with its encoded frames, is
 * handed to every recipient.
 */
public interface PreparedPacket {
}
