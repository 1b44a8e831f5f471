package dev.parley.adapter;

/**
 * Why a socket that asked to recover its connection state (it sent a {@code pid}) got a fresh
 * session instead: the session is not there any more, or what it missed cannot be replayed whole.
 * A session is restored entirely or not at all, never with part of what it missed.
 */
public enum RecoveryFailure {
    /** No such session here: never persisted, already restored, or past {@code recovery-max-disconnection}. */
    UNKNOWN_SESSION("unknown or expired session"),
    /** The client named no offset (it had received no event), or one this namespace never issued. */
    INVALID_OFFSET("no offset, or one this server never issued"),
    /**
     * Some packets sent after the client's offset were dropped from memory (more than
     * {@code recovery-max-packets} since, or older than {@code recovery-max-disconnection}).
     */
    MISSED_PACKETS_BEYOND_BOUND("missed packets beyond the bound");

    private final String description;

    RecoveryFailure(String description) {
        this.description = description;
    }

    /** A sentence for people and logs, e.g. "unknown or expired session". */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
