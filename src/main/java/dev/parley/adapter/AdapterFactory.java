package dev.parley.adapter;

/**
 * Makes the {@link Adapter} of each namespace of a server, given that namespace's context: the
 * in-memory adapter by default, a Redis adapter for a cluster. The server owns its factory: it
 * closes the namespaces' adapters and then the factory (which frees what they share, such as a
 * Redis connection) when it closes. Thread-safe: namespaces are created on demand.
 */
@FunctionalInterface
public interface AdapterFactory {

    /** The in-memory adapter: this node alone. */
    AdapterFactory IN_MEMORY = InMemoryAdapter::new;

    /** The adapter of one new namespace. */
    Adapter create(AdapterContext context);

    /**
     * Whether its adapters reach the other nodes now, for health checks (read now and then, on any
     * thread). A factory that connects nowhere (in memory, the default) is always connected.
     */
    default AdapterHealth health() {
        return AdapterHealth.IN_MEMORY;
    }

    /** Frees what the adapters share; called once, after every adapter it made is closed. */
    default void close() {
    }
}
