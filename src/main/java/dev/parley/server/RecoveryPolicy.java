package dev.parley.server;

import dev.parley.adapter.Adapter;
import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.AdapterFactory;
import dev.parley.adapter.InMemoryAdapter;
import dev.parley.adapter.SessionAwareAdapter;
import dev.parley.protocol.socketio.RecoveryClaim;
import jakarta.json.JsonObject;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Connection state recovery's rules for one server, in one place: whether it is on
 * ({@code recovery-max-disconnection} > 0), which adapter a namespace gets, which disconnections a
 * socket may come back from (the reference server's list: a lost or failed transport, a ping
 * timeout, a close by the server or its shutdown; never a namespace left on purpose or a parse
 * error), what in a CONNECT asks for a recovery, and whether a recovered socket skips the
 * namespace's middleware. The mechanics (offsets, missed packets, sessions) are the adapter's
 * ({@link SessionAwareAdapter}). Immutable.
 */
final class RecoveryPolicy {

    // A slow consumer lost its connection, as on a transport error: it may recover what it missed
    // (bounded by the adapter's recovery-max-packets), as it would have after a network cut.
    private static final Set<DisconnectReason> RECOVERABLE = EnumSet.of(DisconnectReason.TRANSPORT_ERROR,
            DisconnectReason.TRANSPORT_CLOSE, DisconnectReason.FORCED_CLOSE, DisconnectReason.PING_TIMEOUT,
            DisconnectReason.SERVER_SHUTTING_DOWN, DisconnectReason.FORCED_SERVER_CLOSE,
            DisconnectReason.SLOW_CONSUMER);

    private final long maxDisconnectionMillis;
    private final int maxPackets;
    private final boolean skipMiddlewares;
    private final AdapterFactory adapters;

    RecoveryPolicy(ParleyOptions options) {
        this.adapters = options.adapterFactory();
        this.maxDisconnectionMillis = options.recoveryMaxDisconnectionMillis();
        this.maxPackets = options.recoveryMaxPackets();
        this.skipMiddlewares = options.recoverySkipMiddlewares();
    }

    boolean enabled() {
        return maxDisconnectionMillis > 0;
    }

    /**
     * The adapter of a new namespace, from the server's factory; wrapped to keep sessions when
     * recovery is on and the factory's is the in-memory adapter (a multi-node adapter keeps its own).
     */
    Adapter adapter(AdapterContext context, SessionAwareAdapter.Timer timer) {
        Adapter rooms = adapters.create(context);
        boolean keepsSessionsHere = rooms instanceof InMemoryAdapter;
        return enabled() && keepsSessionsHere
                ? new SessionAwareAdapter(rooms, context, maxDisconnectionMillis, maxPackets, timer) : rooms;
    }

    /** Whether a socket that left for {@code reason} is kept for its client to come back to. */
    boolean recoverable(DisconnectReason reason) {
        return enabled() && RECOVERABLE.contains(reason);
    }

    /** The recovery a CONNECT's data asks for, if recovery is on and it asks for one. */
    Optional<RecoveryClaim> claim(JsonObject connectData) {
        return enabled() ? RecoveryClaim.in(connectData) : Optional.empty();
    }

    /**
     * Whether a socket found recoverable skips the namespace's middleware (it passed it when it
     * first connected). The server's own connect authenticator always runs: an expired token does
     * not ride a recovery.
     */
    boolean skipsMiddlewares() {
        return skipMiddlewares;
    }
}
