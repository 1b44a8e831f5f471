package dev.parley.auth;

/**
 * A refusal by an authenticator: no valid credentials (HTTP 401) or credentials that are valid but
 * not enough (403). The message reaches the client: on polling as the body
 * {@code {"code":4,"message":...}}, on WebSocket as the close reason (policy violation), at a
 * namespace as the {@code connect_error} message, with {@link #data()} as its {@code data}. Say
 * what is wrong ("token expired"), never why a guess was close.
 */
public class AuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;

    private final int status;
    private final transient Object data;

    public AuthenticationException(int status, String message, Object data, Throwable cause) {
        super(message, cause);
        if (status != UNAUTHORIZED && status != FORBIDDEN) {
            throw new IllegalArgumentException("status must be 401 or 403, got " + status);
        }
        this.status = status;
        this.data = data;
    }

    /** Missing or invalid credentials. */
    public static AuthenticationException unauthorized(String message) {
        return new AuthenticationException(UNAUTHORIZED, message, null, null);
    }

    /** Valid credentials that do not allow this. */
    public static AuthenticationException forbidden(String message) {
        return new AuthenticationException(FORBIDDEN, message, null, null);
    }

    /** 401 or 403. */
    public int status() {
        return status;
    }

    /** Extra data for the client's {@code connect_error} ({@code err.data}), or {@code null}. */
    public Object data() {
        return data;
    }
}
