package dev.parley.adapter;

import java.util.Objects;

/**
 * The answer to a request to restore a session: the session, or why there is none to restore.
 * Exactly one of {@link #session()} and {@link #failure()} is non-null.
 */
public record SessionLookup(PersistedSession session, RecoveryFailure failure) {

    public SessionLookup {
        if ((session == null) == (failure == null)) {
            throw new IllegalArgumentException("a session or a failure, exactly one");
        }
    }

    public static SessionLookup found(PersistedSession session) {
        return new SessionLookup(Objects.requireNonNull(session), null);
    }

    public static SessionLookup failed(RecoveryFailure failure) {
        return new SessionLookup(null, Objects.requireNonNull(failure));
    }

    public boolean found() {
        return session != null;
    }
}
