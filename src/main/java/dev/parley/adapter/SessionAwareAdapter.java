package dev.parley.adapter;

import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An {@link Adapter} with connection state recovery, as socket.io-adapter's
 * {@code SessionAwareAdapter}: it adds to another adapter (the room index and delivery) an offset
 * on every event it broadcasts that asks for no acknowledgement and is not volatile (the event's
 * last argument, which socket.io-client remembers), a log of those events, and the sessions of
 * sockets that left for a recoverable reason. A socket that comes back with its session's
 * {@code pid} and the offset of the last event it processed gets its rooms back and every logged
 * event its rooms select since that offset, in order, before any later one.
 *
 * <p>Bounds: a session is kept {@code maxDisconnectionMillis} (then forgotten on the server's timer);
 * the log holds at most {@code maxPackets} events, none older than {@code maxDisconnectionMillis}
 * once a newer one is logged or a session expires. A session whose missed events are no longer all
 * kept is not restored at all ({@link RecoveryFailure#MISSED_PACKETS_BEYOND_BOUND}).
 *
 * <p>Thread-safe. One private lock orders logging an event with delivering it, and a restore with
 * both: each socket receives events in log order, so "every event after my offset" is exactly what
 * it missed. Broadcasts that log are therefore serialised per namespace while recovery is on.
 */
public final class SessionAwareAdapter implements Adapter {

    /** Runs a short task once after a delay: the server's timer ({@code parley-timer}). */
    @FunctionalInterface
    public interface Timer {
        ScheduledFuture<?> schedule(Runnable task, long delayMillis);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Adapter rooms;
    private final AdapterContext context;
    private final long maxDisconnectionMillis;
    private final int maxPackets;
    private final Timer timer;
    // Offsets are "<epoch>-<sequence in base 36>": the epoch, random per adapter, makes an offset
    // from another namespace or an earlier run of the server unknown here rather than misread.
    private final String epoch;
    private final Map<String, Kept> sessions = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    // Guarded by lock: the logged events in sequence order, the last sequence number given, and the
    // highest one dropped from the log (0: none), below which no offset can be resumed from.
    private final ArrayDeque<Logged> log = new ArrayDeque<>();
    private long lastSeq;
    private long droppedUpTo;

    /**
     * @param rooms                  the adapter that keeps rooms and delivers (an {@link InMemoryAdapter})
     * @param context                the namespace, to prepare and deliver missed packets
     * @param maxDisconnectionMillis how long a session and a logged event are kept (positive)
     * @param maxPackets             most events logged at once (positive)
     * @param timer                  the server's timer, for sessions' expiry
     */
    public SessionAwareAdapter(Adapter rooms, AdapterContext context, long maxDisconnectionMillis, int maxPackets,
                               Timer timer) {
        if (maxDisconnectionMillis <= 0 || maxPackets <= 0) {
            throw new IllegalArgumentException("bounds must be positive, got " + maxDisconnectionMillis + " ms, "
                    + maxPackets + " packets");
        }
        this.rooms = rooms;
        this.context = context;
        this.maxDisconnectionMillis = maxDisconnectionMillis;
        this.maxPackets = maxPackets;
        this.timer = timer;
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        this.epoch = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---------------------------------------------------------------- rooms: the other adapter's

    @Override
    public void addAll(String socketId, Set<String> newRooms) {
        rooms.addAll(socketId, newRooms);
    }

    @Override
    public void del(String socketId, String room) {
        rooms.del(socketId, room);
    }

    @Override
    public void delAll(String socketId) {
        rooms.delAll(socketId);
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return rooms.serverCount();
    }

    @Override
    public CompletableFuture<List<SocketDetails>> fetchSockets(BroadcastOptions options) {
        return rooms.fetchSockets(options);
    }

    @Override
    public void addSockets(BroadcastOptions options, Set<String> newRooms) {
        rooms.addSockets(options, newRooms);
    }

    @Override
    public void delSockets(BroadcastOptions options, Set<String> oldRooms) {
        rooms.delSockets(options, oldRooms);
    }

    @Override
    public void disconnectSockets(BroadcastOptions options, boolean close) {
        rooms.disconnectSockets(options, close);
    }

    @Override
    public void serverSideEmit(SocketPacket event, AckListener acks) {
        rooms.serverSideEmit(event, acks);
    }

    @Override
    public Set<String> sockets(BroadcastOptions options) {
        return rooms.sockets(options);
    }

    @Override
    public Set<String> socketRooms(String socketId) {
        return rooms.socketRooms(socketId);
    }

    @Override
    public Set<String> rooms() {
        return rooms.rooms();
    }

    // An acknowledgement cannot be answered across a reconnection: such packets are neither
    // numbered nor logged, as in the reference.
    @Override
    public void broadcastWithAck(SocketPacket packet, BroadcastOptions options, AckListener acks) {
        rooms.broadcastWithAck(packet, options, acks);
    }

    // ---------------------------------------------------------------- broadcasts: numbered and logged

    @Override
    public void broadcast(SocketPacket packet, BroadcastOptions options) {
        if (!logged(packet, options)) {
            rooms.broadcast(packet, options);
            return;
        }
        long now = System.nanoTime();
        synchronized (lock) {
            long seq = ++lastSeq;
            SocketPacket numbered = packet.withOffset(offset(seq));
            log.addLast(new Logged(seq, now, numbered, options));
            trimLocked(now);
            rooms.broadcast(numbered, options);
        }
    }

    private static boolean logged(SocketPacket packet, BroadcastOptions options) {
        return (packet.type() == SocketPacketType.EVENT || packet.type() == SocketPacketType.BINARY_EVENT)
                && !packet.hasAck() && !options.flags().volatileSend();
    }

    private String offset(long seq) {
        return epoch + "-" + Long.toString(seq, 36);
    }

    /** The sequence number of one of our offsets, or -1 for anything else. */
    private long sequence(String offset) {
        if (offset == null || !offset.startsWith(epoch) || offset.length() < epoch.length() + 2
                || offset.charAt(epoch.length()) != '-') {
            return -1;
        }
        try {
            return Long.parseLong(offset.substring(epoch.length() + 1), 36);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void trimLocked(long now) {
        long oldest = now - TimeUnit.MILLISECONDS.toNanos(maxDisconnectionMillis);
        while (!log.isEmpty() && (log.size() > maxPackets || log.peekFirst().emittedAt() - oldest < 0)) {
            droppedUpTo = log.removeFirst().seq();
        }
    }

    // ---------------------------------------------------------------- sessions

    @Override
    public void persistSession(PersistedSession session) {
        Kept kept = new Kept(session, System.nanoTime());
        Kept previous = sessions.put(session.pid(), kept);
        if (previous != null) {
            previous.cancelExpiry();
        }
        try {
            kept.expiry = timer.schedule(() -> expire(kept), maxDisconnectionMillis);
        } catch (RejectedExecutionException stopped) {
            sessions.remove(session.pid(), kept); // the server is stopping: nobody will come back to it
        }
    }

    private void expire(Kept kept) {
        sessions.remove(kept.session.pid(), kept);
        synchronized (lock) {
            trimLocked(System.nanoTime()); // with no broadcast since, old events would stay until the next one
        }
    }

    @Override
    public SessionLookup findSession(String pid, String offset) {
        Kept kept = sessions.get(pid);
        if (kept == null || kept.expired(System.nanoTime(), maxDisconnectionMillis)) {
            return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION);
        }
        synchronized (lock) {
            RecoveryFailure failure = resumableLocked(offset);
            return failure == null ? SessionLookup.found(kept.session) : SessionLookup.failed(failure);
        }
    }

    @Override
    public SessionLookup restoreSession(String pid, String offset, Runnable onRestored) {
        Kept kept = sessions.remove(pid);
        if (kept == null) {
            return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION);
        }
        kept.cancelExpiry();
        if (kept.expired(System.nanoTime(), maxDisconnectionMillis)) {
            return SessionLookup.failed(RecoveryFailure.UNKNOWN_SESSION);
        }
        PersistedSession session = kept.session;
        synchronized (lock) {
            RecoveryFailure failure = resumableLocked(offset);
            if (failure != null) {
                return SessionLookup.failed(failure);
            }
            long from = sequence(offset);
            rooms.addAll(session.sid(), session.rooms());
            onRestored.run();
            for (Logged p : log) {
                if (p.seq() > from && selects(p.options(), session.rooms())) {
                    context.deliver(session.sid(), context.prepare(p.packet()), p.options());
                }
            }
        }
        return SessionLookup.found(session);
    }

    /** Null when every event after {@code offset} is still logged, else why not. */
    private RecoveryFailure resumableLocked(String offset) {
        long seq = sequence(offset);
        if (seq < 1 || seq > lastSeq) {
            return RecoveryFailure.INVALID_OFFSET;
        }
        return seq < droppedUpTo ? RecoveryFailure.MISSED_PACKETS_BEYOND_BOUND : null;
    }

    /** Whether a broadcast with these options reaches a socket in these rooms. */
    private static boolean selects(BroadcastOptions options, Set<String> socketRooms) {
        boolean included = options.rooms().isEmpty() || socketRooms.stream().anyMatch(options.rooms()::contains);
        return included && socketRooms.stream().noneMatch(options.except()::contains);
    }

    /** Sessions kept now (for tests and metrics). */
    public int sessionCount() {
        return sessions.size();
    }

    /** Events logged now (for tests and metrics). */
    public int loggedCount() {
        synchronized (lock) {
            return log.size();
        }
    }

    @Override
    public void close() {
        for (Kept kept : sessions.values()) {
            kept.cancelExpiry();
        }
        sessions.clear();
        synchronized (lock) {
            log.clear();
        }
        rooms.close();
    }

    /** One logged event, numbered, with the options that chose its recipients. */
    private record Logged(long seq, long emittedAt, SocketPacket packet, BroadcastOptions options) {
    }

    /** A persisted session, when its socket left, and its expiry on the timer. */
    private static final class Kept {
        final PersistedSession session;
        final long disconnectedAt;
        volatile ScheduledFuture<?> expiry;

        Kept(PersistedSession session, long disconnectedAt) {
            this.session = session;
            this.disconnectedAt = disconnectedAt;
        }

        boolean expired(long now, long maxMillis) {
            return now - disconnectedAt > TimeUnit.MILLISECONDS.toNanos(maxMillis);
        }

        void cancelExpiry() {
            ScheduledFuture<?> task = expiry;
            if (task != null) {
                task.cancel(false);
            }
        }
    }
}
