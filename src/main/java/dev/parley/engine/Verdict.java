package dev.parley.engine;

import java.util.Objects;

/**
 * The engine's answer to a request, from {@link EngineServer#admit(EngineRequest, boolean)}: the one
 * decision a transport translates into its own terms (an HTTP status, a 101, a close frame).
 *
 * <ul>
 *   <li>{@link Admitted}: a new connection may open; its {@link Admission} holds a connection slot
 *       and must be spent by {@link EngineServer#handshake(EngineRequest, Transport, Admission)} or
 *       {@linkplain Admission#release() released}.</li>
 *   <li>{@link Existing}: a request of an open session (a poll, a POST, or the WebSocket upgrade of
 *       a polling session); no slot is taken, the session was admitted when it opened.</li>
 *   <li>{@link ProtocolError}: a request the protocol does not allow (400 and the reference's
 *       code and message).</li>
 *   <li>{@link Refused}: a request refused by policy (origin, authentication, limits) with its
 *       status: 401, 403, 429, 503.</li>
 * </ul>
 */
public sealed interface Verdict {

    /** Whether the request may go on ({@link Admitted} or {@link Existing}). */
    default boolean allowed() {
        return this instanceof Admitted || this instanceof Existing;
    }

    /** The HTTP status a transport answers a verdict that is not {@link #allowed()} with. */
    default int httpStatus() {
        if (this instanceof ProtocolError e) {
            return e.error().httpStatus();
        }
        if (this instanceof Refused r) {
            return r.refusal().httpStatus();
        }
        throw new IllegalStateException("an allowed request has no error status: " + this);
    }

    /** The JSON body of a verdict that is not {@link #allowed()}, {@code {"code":N,"message":"..."}}. */
    default String json() {
        if (this instanceof ProtocolError e) {
            return e.error().json();
        }
        if (this instanceof Refused r) {
            return r.refusal().json();
        }
        throw new IllegalStateException("an allowed request has no error body: " + this);
    }

    /** Gives back what an {@link Admitted} verdict holds; nothing for the others. Idempotent. */
    default void release() {
        if (this instanceof Admitted a) {
            a.admission().release();
        }
    }

    /** A new connection may open. */
    record Admitted(Admission admission) implements Verdict {
        public Admitted {
            Objects.requireNonNull(admission, "admission");
        }
    }

    /** A request of the open session {@code session}. */
    record Existing(EngineSession session) implements Verdict {
        public Existing {
            Objects.requireNonNull(session, "session");
        }
    }

    /** A protocol error, answered 400 (or the error's status) with the reference's body. */
    record ProtocolError(EngineError error) implements Verdict {
        public ProtocolError {
            Objects.requireNonNull(error, "error");
        }
    }

    /** A policy refusal, answered with its status and body. */
    record Refused(EngineRefusal refusal) implements Verdict {
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }
    }
}
