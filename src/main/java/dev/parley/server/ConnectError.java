package dev.parley.server;

/**
 * A refusal of a namespace connection by middleware. The client receives a CONNECT_ERROR packet
 * {@code {"message": message, "data": data}} ({@code data} omitted when null) and its
 * {@code connect_error} handler fires with that message.
 */
public class ConnectError extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Object data;

    public ConnectError(String message) {
        this(message, null);
    }

    /** @param data anything {@code emit} accepts, sent to the client as the error's {@code data} */
    public ConnectError(String message, Object data) {
        super(message);
        this.data = data;
    }

    public Object data() {
        return data;
    }
}
