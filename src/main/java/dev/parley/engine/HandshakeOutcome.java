package dev.parley.engine;

/**
 * How a handshake request (one without a {@code sid}) ended, as {@link EngineStats} counts it: an
 * {@link #outcome()} ({@code accepted}, {@code refused} by policy, {@code invalid} for the protocol)
 * and a {@link #reason()}. The set is closed, so a counter per outcome is made once and a request
 * costs one increment, never a tag built from a message.
 */
public enum HandshakeOutcome {
    ACCEPTED("accepted", "none"),
    /** The Origin is not allowed ({@link OriginPolicy}). */
    ORIGIN("refused", "origin"),
    /** 401 from the handshake guard: no or bad credentials. */
    UNAUTHORIZED("refused", "unauthorized"),
    /** 403 from the handshake guard: credentials that may not connect. */
    FORBIDDEN("refused", "forbidden"),
    /** 429: {@code handshake-rate} / {@code handshake-burst} for the address. */
    RATE_LIMITED("refused", "rate-limited"),
    /** 503: {@code max-connections} or {@code max-connections-per-address}. */
    CONNECTION_LIMIT("refused", "connection-limit"),
    /** The server is stopping. */
    SHUTTING_DOWN("refused", "shutting-down"),
    /** The guard failed (500) or refused with another status. */
    GUARD_ERROR("refused", "guard-error"),
    /** Not a valid handshake: unknown or disallowed transport, not a GET, not {@code EIO=4}. */
    PROTOCOL_ERROR("invalid", "protocol");

    private final String outcome;
    private final String reason;

    HandshakeOutcome(String outcome, String reason) {
        this.outcome = outcome;
        this.reason = reason;
    }

    /** {@code accepted}, {@code refused} or {@code invalid}. */
    public String outcome() {
        return outcome;
    }

    /** Why, in a word; {@code none} when accepted. */
    public String reason() {
        return reason;
    }

    /** The outcome of a refusal by a {@link HandshakeGuard} or the limits, by its status. */
    static HandshakeOutcome of(EngineRefusal refusal) {
        return switch (refusal.httpStatus()) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 429 -> RATE_LIMITED;
            case 503 -> CONNECTION_LIMIT;
            default -> GUARD_ERROR;
        };
    }
}
