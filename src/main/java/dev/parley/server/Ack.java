package dev.parley.server;

/**
 * The acknowledgement callback of a received event. Calling {@link #send} answers the client's
 * callback with those arguments; only the first call counts. When the client asked for no
 * acknowledgement, {@link #requested()} is false and {@link #send} does nothing.
 */
public interface Ack {

    /** Whether the client is waiting for an acknowledgement. */
    boolean requested();

    /**
     * Sends the acknowledgement with these arguments, converted as {@link Socket#emit} converts
     * its own (records and other objects through JSON-B).
     */
    void send(Object... args);
}
