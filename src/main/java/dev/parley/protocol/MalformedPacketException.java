package dev.parley.protocol;

/**
 * The one error every Parley codec raises for input that is not a valid packet: callers catch
 * this and nothing else, and close only the connection that sent it.
 */
public class MalformedPacketException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message);
    }

    public MalformedPacketException(String message, Throwable cause) {
        super(message, cause);
    }
}
