package dev.parley.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.SocketPacket;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Adapter} must do, on one node: keep rooms, select a broadcast's sockets by
 * rooms and exceptions, prepare each broadcast once for all its recipients, pass its options on,
 * and count a broadcast with acknowledgement. A subclass names the adapter; the namespace is a
 * {@link RecordingContext} where sockets {@code s1}..{@code s4} are connected.
 */
abstract class AdapterContractTest {

    /** The adapter under test, serving the namespace seen through {@code context}. */
    protected abstract Adapter newAdapter(AdapterContext context);

    private RecordingContext context;
    private Adapter adapter;

    @BeforeEach
    void joinRooms() {
        context = new RecordingContext("/chat", Set.of("s1", "s2", "s3", "s4"));
        adapter = newAdapter(context);
        context.adapter = adapter;
        adapter.addAll("s1", Set.of("s1", "a"));
        adapter.addAll("s2", Set.of("s2", "a", "b"));
        adapter.addAll("s3", Set.of("s3", "b"));
        adapter.addAll("s4", Set.of("s4"));
    }

    private static SocketPacket event(String name, long ackId) {
        return SocketPacket.event("/chat", Jsonp.PROVIDER.createArrayBuilder().add(name).build(), ackId, List.of());
    }

    private static BroadcastOptions to(String... rooms) {
        return BroadcastOptions.everyone().to(rooms);
    }

    @Test
    void keepsEachSocketsRoomsAndTheRoomsInUse() {
        assertThat(adapter.socketRooms("s2")).isEqualTo(Set.of("s2", "a", "b"));
        assertThat(adapter.socketRooms("unknown")).isEmpty();
        assertThat(adapter.rooms()).isEqualTo(Set.of("s1", "s2", "s3", "s4", "a", "b"));
    }

    @Test
    void aRoomLeftByItsLastSocketIsGone() {
        adapter.del("s2", "a");
        assertThat(adapter.socketRooms("s2")).isEqualTo(Set.of("s2", "b"));
        assertThat(adapter.sockets(to("a"))).isEqualTo(Set.of("s1"));
        adapter.del("s1", "a");
        assertThat(adapter.rooms()).doesNotContain("a");
        assertThat(adapter.sockets(to("a"))).isEmpty();
    }

    @Test
    void aDisconnectingSocketLeavesEveryRoom() {
        adapter.delAll("s2");
        assertThat(adapter.socketRooms("s2")).isEmpty();
        assertThat(adapter.rooms()).doesNotContain("s2");
        assertThat(adapter.sockets(to("a", "b"))).isEqualTo(Set.of("s1", "s3"));
        assertThat(adapter.sockets(BroadcastOptions.everyone())).isEqualTo(Set.of("s1", "s3", "s4"));
    }

    @Test
    void socketRoomsIsASnapshot() {
        Set<String> before = adapter.socketRooms("s1");
        adapter.addAll("s1", Set.of("later"));
        assertThat(before).isEqualTo(Set.of("s1", "a"));
        assertThat(adapter.socketRooms("s1")).contains("later");
    }

    @Test
    void selectsByRoomsAndExceptions() {
        assertThat(adapter.sockets(BroadcastOptions.everyone())).isEqualTo(Set.of("s1", "s2", "s3", "s4"));
        assertThat(adapter.sockets(to("a"))).isEqualTo(Set.of("s1", "s2"));
        assertThat(adapter.sockets(to("a", "b"))).isEqualTo(Set.of("s1", "s2", "s3"));
        assertThat(adapter.sockets(to("a", "b").except("b"))).isEqualTo(Set.of("s1"));
        assertThat(adapter.sockets(BroadcastOptions.everyone().except("a"))).isEqualTo(Set.of("s3", "s4"));
        assertThat(adapter.sockets(to("nobody"))).isEmpty();
    }

    @Test
    void aSocketsOwnRoomReachesItAloneUntilItLeavesIt() {
        assertThat(adapter.sockets(to("s1"))).isEqualTo(Set.of("s1"));
        assertThat(adapter.sockets(to("a").except("s2"))).isEqualTo(Set.of("s1"));
        adapter.broadcast(event("direct", SocketPacket.NO_ACK), to("s3"));
        assertThat(context.deliveredTo()).containsExactly("s3");

        // Another socket may join a room named by a socket's id: both are in it.
        adapter.addAll("s4", Set.of("s1"));
        assertThat(adapter.sockets(to("s1"))).isEqualTo(Set.of("s1", "s4"));
        adapter.del("s1", "s1");
        assertThat(adapter.socketRooms("s1")).isEqualTo(Set.of("a"));
        assertThat(adapter.sockets(to("s1"))).isEqualTo(Set.of("s4"));
        adapter.del("s4", "s1");
        assertThat(adapter.sockets(to("s1"))).isEmpty();
        assertThat(adapter.rooms()).doesNotContain("s1").contains("s2", "s3", "s4");
    }

    @Test
    void aBroadcastIsPreparedOnceAndDeliveredToEachSelectedSocketOnce() {
        BroadcastOptions options = to("a", "b").except("s3");
        adapter.broadcast(event("news", SocketPacket.NO_ACK), options);
        assertThat(context.prepared).hasSize(1);
        assertThat(context.deliveredTo()).containsExactlyInAnyOrder("s1", "s2");
        assertThat(context.deliveries).allSatisfy(d -> {
            assertThat(d.packet()).isSameAs(context.prepared.get(0));
            assertThat(d.options()).isEqualTo(options);
        });
    }

    @Test
    void aBroadcastToEveryoneReachesEverySocket() {
        adapter.broadcast(event("news", SocketPacket.NO_ACK), BroadcastOptions.everyone());
        assertThat(context.deliveredTo()).containsExactlyInAnyOrder("s1", "s2", "s3", "s4");
    }

    @Test
    void theFlagsReachEveryDelivery() {
        BroadcastFlags flags = BroadcastFlags.NONE.withVolatile(true).withLocal(true).withCompress(false)
                .withTimeout(Duration.ofSeconds(1));
        adapter.broadcast(event("news", SocketPacket.NO_ACK), to("b").with(flags));
        assertThat(context.deliveries).hasSize(2).allSatisfy(d -> assertThat(d.options().flags()).isEqualTo(flags));
    }

    @Test
    void aBroadcastToNobodyDeliversNothing() {
        adapter.broadcast(event("news", SocketPacket.NO_ACK), to("nobody"));
        assertThat(context.deliveries).isEmpty();
    }

    @Test
    void aBroadcastWithAckCountsTheSocketsReachedAndPassesTheirAnswersOn() {
        context.disconnected.add("s2"); // still in the room index, gone from the namespace
        RecordingAcks acks = new RecordingAcks();
        adapter.broadcastWithAck(event("question", 7), to("a", "b"), acks);
        assertThat(context.prepared).hasSize(1);
        assertThat(context.deliveredTo()).containsExactlyInAnyOrder("s1", "s3");
        // the count may come later (a cluster adapter first learns how many nodes there are)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(acks.counts).containsExactly(2));

        context.answer("s1", "yes");
        context.answer("s3", "no");
        assertThat(acks.answers).containsExactlyInAnyOrder("yes", "no");
    }

    @Test
    void aBroadcastWithAckToNobodyCountsZero() {
        RecordingAcks acks = new RecordingAcks();
        adapter.broadcastWithAck(event("question", 8), to("nobody"), acks);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(acks.counts).containsExactly(0));
        assertThat(context.deliveries).isEmpty();
    }

    // ---------------------------------------------------------------- the cluster operations, this node alone

    @Test
    void aNodeAloneCountsOneServer() throws Exception {
        assertThat(adapter.serverCount().get(5, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void fetchSocketsDescribesTheSelectedSockets() throws Exception {
        List<SocketDetails> found = adapter.fetchSockets(to("b").except("s3")).get(5, TimeUnit.SECONDS);
        assertThat(found).extracting(SocketDetails::id).containsExactly("s2");
        assertThat(found.get(0).rooms()).isEqualTo(Set.of("s2", "a", "b"));
        assertThat(found.get(0).data().getString("name")).isEqualTo("user-s2");
        assertThat(adapter.fetchSockets(BroadcastOptions.everyone()).get(5, TimeUnit.SECONDS))
                .extracting(SocketDetails::id).containsExactlyInAnyOrder("s1", "s2", "s3", "s4");
    }

    @Test
    void addAndDelSocketsChangeTheRoomsOfTheSelectedSockets() {
        adapter.addSockets(to("a"), Set.of("c", "d"));
        assertThat(adapter.sockets(to("c"))).containsExactlyInAnyOrder("s1", "s2");
        adapter.delSockets(to("b"), Set.of("d", "a"));
        assertThat(adapter.socketRooms("s2")).isEqualTo(Set.of("s2", "b", "c"));
        assertThat(adapter.socketRooms("s1")).isEqualTo(Set.of("s1", "a", "c", "d"));
    }

    @Test
    void disconnectSocketsDisconnectsTheSelectedSockets() {
        adapter.disconnectSockets(to("b").except("a"), false);
        assertThat(context.disconnected).containsExactly("s3");
        assertThat(adapter.socketRooms("s3")).isEmpty();
    }

    @Test
    void aServerSideEmitReachesNoHandlerOfThisNodeAndCountsNoOtherNode() {
        RecordingAcks acks = new RecordingAcks();
        adapter.serverSideEmit(event("hello", SocketPacket.NO_ACK), acks);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(acks.counts).containsExactly(0));
        assertThat(context.serverSideEvents).isEmpty();
    }

    // ---------------------------------------------------------------- the namespace's side

    record Prepared(SocketPacket packet) implements PreparedPacket {
    }

    record Delivery(String socketId, PreparedPacket packet, BroadcastOptions options) {
    }

    /** A namespace whose connected sockets are fixed; it records what the adapter prepares and delivers. */
    static final class RecordingContext implements AdapterContext {
        private final AtomicLong ackIds = new AtomicLong();

        @Override
        public long nextAckId() {
            return ackIds.getAndIncrement();
        }

        private final String name;
        private final Set<String> connected;
        final Set<String> disconnected = ConcurrentHashMap.newKeySet();
        final List<Prepared> prepared = new CopyOnWriteArrayList<>();
        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        private final java.util.Map<String, AckListener> waiting = new ConcurrentHashMap<>();
        final List<String> serverSideEvents = new CopyOnWriteArrayList<>();
        /** The adapter serving this namespace: a socket joins and leaves rooms through it, as a real one does. */
        Adapter adapter;

        RecordingContext(String name, Set<String> connected) {
            this.name = name;
            this.connected = connected;
        }

        @Override
        public String namespace() {
            return name;
        }

        @Override
        public PreparedPacket prepare(SocketPacket packet) {
            Prepared p = new Prepared(packet);
            prepared.add(p);
            return p;
        }

        @Override
        public boolean deliver(String socketId, PreparedPacket packet, BroadcastOptions options) {
            if (!connected.contains(socketId) || disconnected.contains(socketId)) {
                return false;
            }
            deliveries.add(new Delivery(socketId, packet, options));
            return true;
        }

        @Override
        public boolean deliver(String socketId, PreparedPacket packet, BroadcastOptions options, AckListener acks) {
            boolean here = deliver(socketId, packet, options);
            if (here) {
                waiting.put(socketId, acks);
            }
            return here;
        }

        @Override
        public Optional<SocketDetails> describe(String socketId) {
            if (!connected.contains(socketId) || disconnected.contains(socketId)) {
                return Optional.empty();
            }
            JsonObject handshake = Jsonp.PROVIDER.createObjectBuilder().add("address", "127.0.0.1").build();
            JsonObject data = Jsonp.PROVIDER.createObjectBuilder().add("name", "user-" + socketId).build();
            return Optional.of(new SocketDetails(socketId, handshake, adapter.socketRooms(socketId), data));
        }

        @Override
        public void join(String socketId, Set<String> rooms) {
            if (connected.contains(socketId) && !disconnected.contains(socketId)) {
                adapter.addAll(socketId, rooms);
            }
        }

        @Override
        public void leave(String socketId, Set<String> rooms) {
            if (connected.contains(socketId) && !disconnected.contains(socketId)) {
                rooms.forEach(room -> adapter.del(socketId, room));
            }
        }

        @Override
        public void disconnect(String socketId, boolean close) {
            if (connected.contains(socketId) && disconnected.add(socketId)) {
                adapter.delAll(socketId);
            }
        }

        @Override
        public void serverSideEvent(SocketPacket event, Consumer<Args> answer) {
            serverSideEvents.add(event.data().toString());
            if (answer != null) {
                answer.accept(new Args(List.of("from " + name)));
            }
        }

        /** The socket answers the packet it was sent. */
        void answer(String socketId, String value) {
            waiting.remove(socketId).answered(new Args(List.of(value)));
        }

        List<String> deliveredTo() {
            List<String> out = new ArrayList<>();
            for (Delivery d : deliveries) {
                out.add(d.socketId());
            }
            return out;
        }
    }

    static final class RecordingAcks implements AckListener {
        final List<Integer> counts = new CopyOnWriteArrayList<>();
        final List<String> answers = new CopyOnWriteArrayList<>();
        final AtomicInteger lost = new AtomicInteger();

        @Override
        public void sent(int clientCount) {
            counts.add(clientCount);
        }

        @Override
        public void answered(Args answer) {
            answers.add(answer.getString(0));
        }

        @Override
        public void lost(Exception reason) {
            lost.incrementAndGet();
        }
    }
}
