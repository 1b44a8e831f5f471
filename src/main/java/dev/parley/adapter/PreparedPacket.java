package dev.parley.adapter;

/**
 * A packet already encoded for the wire by its namespace, opaque to adapters: a broadcast is
 * prepared once and the same instance is handed to every recipient.
 */
public interface PreparedPacket {
}
