package dev.parley.engine;

/**
 * The handshake and request errors of the Engine.IO reference server, with the same codes and
 * messages, so clients and tools that inspect them see what they expect. Each is answered as
 * HTTP 400 (or the status given) with the body {@code {"code":N,"message":"..."}}.
 */
public enum EngineError {
    UNKNOWN_TRANSPORT(0, "Transport unknown", 400),
    UNKNOWN_SID(1, "Session ID unknown", 400),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400),
    BAD_REQUEST(3, "Bad request", 400),
    FORBIDDEN(4, "Forbidden", 403),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400);

    private final int code;
    private final String message;
    private final int httpStatus;
    private final String json;

    EngineError(int code, String message, int httpStatus) {
        this.code = code;
        this.message = message;
        this.httpStatus = httpStatus;
        this.json = "{\"code\":" + code + ",\"message\":\"" + message + "\"}";
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The response body, e.g. {@code {"code":1,"message":"Session ID unknown"}}. */
    public String json() {
        return json;
    }
}
