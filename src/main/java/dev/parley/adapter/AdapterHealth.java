package dev.parley.adapter;

/**
 * What an {@link AdapterFactory}'s adapters can do now: reach the other nodes of the cluster
 * ({@link State#CONNECTED}), not for the moment ({@link State#RECONNECTING}: this node still serves
 * its own clients, cross-node broadcasts and requests fail until it is back), or not at all
 * ({@link State#DOWN}: never connected, or closed). The in-memory adapter has no other node and is
 * always connected. Immutable; read by health checks, never on a message's path.
 *
 * @param adapter the kind of adapter, as the {@code adapter} setting names it ({@code memory}, {@code redis}...)
 * @param state   its state now
 */
public record AdapterHealth(String adapter, State state) {

    /** An adapter's state, as health checks show it ({@link #wire()}). */
    public enum State {
        CONNECTED("connected"),
        RECONNECTING("reconnecting"),
        DOWN("down");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        /** The state as health checks show it: {@code connected}, {@code reconnecting}, {@code down}. */
        public String wire() {
            return wire;
        }
    }

    /** The in-memory adapter's health: connected (there is nothing else to reach). */
    public static final AdapterHealth IN_MEMORY = new AdapterHealth("memory", State.CONNECTED);

    /** Whether the adapter can reach every node now. */
    public boolean up() {
        return state == State.CONNECTED;
    }
}
