package dev.parley.client;

/**
 * An emit made while the namespace is disconnected found its send buffer full
 * ({@link ClientOptions#sendBufferLimit}): the packet was not buffered and will not be sent; the packets
 * buffered before it still will be, once reconnected.
 */
public class SendBufferFullException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public SendBufferFullException(String message) {
        super(message);
    }
}
