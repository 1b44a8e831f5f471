package dev.parley.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.AdapterContractTest.RecordingContext;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import jakarta.json.JsonArray;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The session-aware adapter: the adapter contract (it keeps rooms and delivers as the in-memory
 * adapter it adds to), then what it adds: offsets on what it logs, sessions restored with exactly
 * the events they missed, and its bounds. The timer is a real scheduled executor.
 */
class SessionAwareAdapterTest extends AdapterContractTest {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

    @AfterAll
    static void stopTimer() {
        TIMER.shutdownNow();
    }

    @Override
    protected Adapter newAdapter(AdapterContext context) {
        return adapter(context, 60_000, 100);
    }

    private static SessionAwareAdapter adapter(AdapterContext context, long maxMillis, int maxPackets) {
        return new SessionAwareAdapter(new InMemoryAdapter(context), context, maxMillis, maxPackets,
                (task, delay) -> TIMER.schedule(task, delay, TimeUnit.MILLISECONDS));
    }

    private static SocketPacket event(String name) {
        return SocketPacket.event("/chat", Jsonp.PROVIDER.createArrayBuilder().add(name).build(), SocketPacket.NO_ACK,
                List.of());
    }

    /** The packets delivered to one socket, as their arguments. */
    private static List<JsonArray> deliveredTo(RecordingContext context, String socketId) {
        List<JsonArray> out = new ArrayList<>();
        for (Delivery d : context.deliveries) {
            if (d.socketId().equals(socketId)) {
                out.add((JsonArray) ((Prepared) d.packet()).packet().data());
            }
        }
        return out;
    }

    private static String offsetOf(JsonArray args) {
        return args.getString(args.size() - 1);
    }

    private static List<String> names(List<JsonArray> all) {
        return all.stream().map(a -> a.getString(0)).toList();
    }

    /** s1 in rooms a and b, s2 in a; s3 is the id s1's session comes back under (the namespace's view). */
    private static RecordingContext context() {
        return new RecordingContext("/chat", Set.of("s1", "s2"));
    }

    @Test
    void broadcastsWithoutAckAndNotVolatileGetIncreasingOffsetsAsTheirLastArgument() {
        RecordingContext context = context();
        SessionAwareAdapter adapter = adapter(context, 60_000, 100);
        adapter.addAll("s1", Set.of("s1"));
        adapter.broadcast(event("one"), BroadcastOptions.everyone());
        adapter.broadcast(event("two"), BroadcastOptions.everyone());
        adapter.broadcast(event("volatile"), BroadcastOptions.everyone().with(BroadcastFlags.NONE.withVolatile(true)));
        adapter.broadcastWithAck(SocketPacket.event("/chat", Jsonp.PROVIDER.createArrayBuilder().add("ack").build(),
                3, List.of()), BroadcastOptions.everyone(), new RecordingAcks());

        List<JsonArray> got = deliveredTo(context, "s1");
        assertThat(got).hasSize(4);
        assertThat(got.get(0)).hasSize(2);
        assertThat(got.get(1)).hasSize(2);
        assertThat(offsetOf(got.get(0))).isNotEqualTo(offsetOf(got.get(1)));
        assertThat(got.get(2)).hasSize(1); // volatile: no offset, not logged
        assertThat(got.get(3)).hasSize(1); // asks for an ack: no offset, not logged
        assertThat(adapter.loggedCount()).isEqualTo(2);
    }

    @Test
    void aRestoredSessionRejoinsItsRoomsThenGetsWhatItsRoomsSelectedSinceItsOffsetInOrder() {
        RecordingContext context = context();
        SessionAwareAdapter adapter = adapter(context, 60_000, 100);
        adapter.addAll("s1", Set.of("s1", "a", "b"));
        adapter.addAll("s2", Set.of("s2", "a"));
        adapter.broadcast(event("seen"), BroadcastOptions.everyone());
        String offset = offsetOf(deliveredTo(context, "s1").get(0));
        adapter.broadcast(event("in-flight"), BroadcastOptions.everyone().to("a")); // sent, never processed
        adapter.persistSession(new PersistedSession("s1", "p1", adapter.socketRooms("s1"), Map.of("k", "v")));
        adapter.delAll("s1");

        adapter.broadcast(event("to-b"), BroadcastOptions.everyone().to("b"));
        adapter.broadcast(event("to-c"), BroadcastOptions.everyone().to("c"));
        adapter.broadcast(event("except-a"), BroadcastOptions.everyone().except("a"));
        adapter.broadcast(event("to-s1"), BroadcastOptions.everyone().to("s1"));
        adapter.broadcast(event("everyone"), BroadcastOptions.everyone());
        int before = context.deliveries.size();

        List<Object> atReply = new ArrayList<>();
        SessionLookup restored = adapter.restoreSession("p1", offset, () -> {
            atReply.add(adapter.socketRooms("s1"));
            atReply.add(context.deliveries.size());
        });

        assertThat(restored.found()).isTrue();
        assertThat(restored.session().data()).isEqualTo(Map.of("k", "v"));
        // rooms rejoined before the reply, missed events delivered after it
        assertThat(atReply).containsExactly(Set.of("s1", "a", "b"), before);
        List<JsonArray> all = deliveredTo(context, "s1");
        assertThat(names(all.subList(2, all.size()))).containsExactly("in-flight", "to-b", "to-s1", "everyone");
        assertThat(adapter.socketRooms("s1")).isEqualTo(Set.of("s1", "a", "b"));
        assertThat(adapter.sessionCount()).isZero();
    }

    @Test
    void aClaimIsFinal() {
        RecordingContext context = context();
        SessionAwareAdapter adapter = adapter(context, 60_000, 100);
        adapter.addAll("s1", Set.of("s1"));
        adapter.broadcast(event("seen"), BroadcastOptions.everyone());
        String offset = offsetOf(deliveredTo(context, "s1").get(0));
        adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1"), Map.of()));
        adapter.delAll("s1");
        assertThat(adapter.findSession("p1", offset).found()).isTrue();
        assertThat(adapter.findSession("p1", offset).found()).isTrue(); // looking does not claim
        assertThat(adapter.restoreSession("p1", offset, () -> { }).found()).isTrue();
        assertThat(adapter.restoreSession("p1", offset, () -> { }).failure()).isEqualTo(RecoveryFailure.UNKNOWN_SESSION);
        assertThat(adapter.findSession("p1", offset).failure()).isEqualTo(RecoveryFailure.UNKNOWN_SESSION);
    }

    @Test
    void unknownSessionsAndOffsetsAreRefusedWithTheirReason() {
        RecordingContext context = context();
        SessionAwareAdapter adapter = adapter(context, 60_000, 100);
        SessionAwareAdapter other = adapter(context, 60_000, 100);
        adapter.addAll("s1", Set.of("s1"));
        other.addAll("s1", Set.of("s1"));
        adapter.broadcast(event("here"), BroadcastOptions.everyone());
        other.broadcast(event("elsewhere"), BroadcastOptions.everyone());
        String elsewhere = offsetOf(deliveredTo(context, "s1").get(1));
        adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1"), Map.of()));

        assertThat(adapter.findSession("nobody", "x").failure()).isEqualTo(RecoveryFailure.UNKNOWN_SESSION);
        assertThat(adapter.findSession("p1", null).failure()).isEqualTo(RecoveryFailure.INVALID_OFFSET);
        assertThat(adapter.findSession("p1", elsewhere).failure()).isEqualTo(RecoveryFailure.INVALID_OFFSET);
        assertThat(adapter.findSession("p1", "garbage").failure()).isEqualTo(RecoveryFailure.INVALID_OFFSET);
        int before = context.deliveries.size();
        assertThat(adapter.restoreSession("p1", elsewhere, () -> { throw new AssertionError("not restored"); })
                .failure()).isEqualTo(RecoveryFailure.INVALID_OFFSET);
        assertThat(context.deliveries).hasSize(before);
        assertThat(adapter.socketRooms("s1")).containsExactly("s1");
    }

    @Test
    void theCountBoundKeepsTheLastEventsAndRefusesAnOffsetWhoseFollowersWereDropped() {
        RecordingContext context = context();
        SessionAwareAdapter adapter = adapter(context, 60_000, 3);
        adapter.addAll("s1", Set.of("s1"));
        adapter.broadcast(event("e1"), BroadcastOptions.everyone());
        adapter.broadcast(event("e2"), BroadcastOptions.everyone());
        String e1 = offsetOf(deliveredTo(context, "s1").get(0));
        String e2 = offsetOf(deliveredTo(context, "s1").get(1));
        adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1"), Map.of()));
        adapter.delAll("s1");
        adapter.broadcast(event("e3"), BroadcastOptions.everyone());
        adapter.broadcast(event("e4"), BroadcastOptions.everyone());
        adapter.broadcast(event("e5"), BroadcastOptions.everyone()); // e1 and e2 dropped: 3 kept

        assertThat(adapter.loggedCount()).isEqualTo(3);
        // e2 itself is gone but everything after it is kept: nothing lost for a client at e2
        assertThat(adapter.findSession("p1", e2).found()).isTrue();
        // a client at e1 missed e2, which is gone: no partial replay
        int before = context.deliveries.size();
        assertThat(adapter.restoreSession("p1", e1, () -> { }).failure())
                .isEqualTo(RecoveryFailure.MISSED_PACKETS_BEYOND_BOUND);
        assertThat(context.deliveries).hasSize(before);
    }

    @Test
    void aSessionIsForgottenOnTheTimerWhenItsTimeIsUp() {
        RecordingContext context = context();
        SessionAwareAdapter adapter = adapter(context, 300, 100);
        adapter.addAll("s1", Set.of("s1"));
        adapter.broadcast(event("e1"), BroadcastOptions.everyone());
        String e1 = offsetOf(deliveredTo(context, "s1").get(0));
        adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1"), Map.of()));
        adapter.delAll("s1");
        assertThat(adapter.findSession("p1", e1).found()).isTrue();

        await().atLeast(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> adapter.sessionCount() == 0);
        assertThat(adapter.loggedCount()).isZero(); // the event, as old, went with it
        assertThat(adapter.restoreSession("p1", e1, () -> { }).failure()).isEqualTo(RecoveryFailure.UNKNOWN_SESSION);
    }

    @Test
    void closingCancelsTheExpiriesAndForgetsEverything() {
        RecordingContext context = context();
        SessionAwareAdapter adapter = adapter(context, 60_000, 100);
        adapter.addAll("s1", Set.of("s1"));
        adapter.broadcast(event("e1"), BroadcastOptions.everyone());
        adapter.persistSession(new PersistedSession("s1", "p1", Set.of("s1"), Map.of()));
        adapter.close();
        assertThat(adapter.sessionCount()).isZero();
        assertThat(adapter.loggedCount()).isZero();
    }

    @Test
    void eventsNotLoggedKeepTheirType() {
        RecordingContext context = context();
        SessionAwareAdapter adapter = adapter(context, 60_000, 100);
        adapter.addAll("s1", Set.of("s1"));
        adapter.broadcast(SocketPacket.disconnect("/chat"), BroadcastOptions.everyone());
        assertThat(((Prepared) context.deliveries.get(0).packet()).packet().type())
                .isEqualTo(SocketPacketType.DISCONNECT);
        assertThat(adapter.loggedCount()).isZero();
    }
}
