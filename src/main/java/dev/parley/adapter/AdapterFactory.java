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

    /**
     * How its adapters' requests to the other nodes ended and how long they took, for metrics (read
     * now and then, on any thread). A factory whose adapters ask no other node (in memory, the default)
     * records nothing: {@link AdapterRequests#NONE}.
     */
    default AdapterRequests requests() {
        return AdapterRequests.NONE;
    }

    /** Frees what the adapters share; called once, after every adapter it made is closed. */
    default void close() {
    }
}
