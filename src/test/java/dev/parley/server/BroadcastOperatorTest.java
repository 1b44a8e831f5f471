package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.BroadcastFlags;
import dev.parley.engine.Delivery;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.SocketPacket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms and every broadcast flag on a real {@link ParleyServer}, its sockets connected over
 * {@link RecordingConnection}s: who receives a broadcast, how it is handed to the transport, and
 * what {@code emitWithAck} collects. Three sockets: {@code a} and {@code b} in room {@code r},
 * {@code c} in room {@code other}.
 */
class BroadcastOperatorTest {

    private ParleyServer server;
    private Namespace root;
    private RecordingConnection a;
    private RecordingConnection b;
    private RecordingConnection c;
    private Socket socketA;
    private Socket socketB;

    @BeforeEach
    void connectThree() {
        server = new ParleyServer(ParleyOptions.defaults());
        root = server.of("/");
        a = RecordingConnection.open(server);
        b = RecordingConnection.open(server);
        c = RecordingConnection.open(server);
        socketA = root.sockets().get(a.connect("/")).join("r");
        socketB = root.sockets().get(b.connect("/")).join("r");
        root.sockets().get(c.connect("/")).join("other");
    }

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void toARoomReachesItsMembersOnceEncodedOnceAsABatch() {
        server.to("r").emit("news", 1);
        assertThat(a.events()).containsExactly("news:[1]");
        assertThat(b.events()).containsExactly("news:[1]");
        assertThat(c.events()).isEmpty();
        // one encoded packet (and so one WebSocket frame) shared by the recipients
        assertThat(a.lastEvent("news").carrier()).isSameAs(b.lastEvent("news").carrier());
        assertThat(a.lastEvent("news").delivery()).isEqualTo(Delivery.BATCH);
    }

    @Test
    void severalRoomsReachEachSocketOnceAndInIsTo() {
        socketA.join("other");
        server.in("r").in("other").emit("news", 2);
        assertThat(a.events()).containsExactly("news:[2]");
        assertThat(b.events()).containsExactly("news:[2]");
        assertThat(c.events()).containsExactly("news:[2]");
    }

    @Test
    void exceptLeavesOutTheMembersOfItsRooms() {
        server.except("r").emit("news", 3);
        server.to("r").except(socketB.id()).emit("only-a");
        assertThat(a.events()).containsExactly("only-a:[]");
        assertThat(b.events()).isEmpty();
        assertThat(c.events()).containsExactly("news:[3]");
    }

    @Test
    void aSocketsBroadcastLeavesOutTheSender() {
        socketA.broadcast().emit("all-but-a");
        socketA.to("r").emit("r-but-a");
        socketA.except("other").emit("neither-a-nor-other");
        assertThat(a.events()).isEmpty();
        assertThat(b.events()).containsExactly("all-but-a:[]", "r-but-a:[]", "neither-a-nor-other:[]");
        assertThat(c.events()).containsExactly("all-but-a:[]");
    }

    @Test
    void aVolatileBroadcastIsDroppedForAConnectionThatCannotTakeItNow() {
        b.setWritable(false);
        server.to("r").asVolatile().emit("tick", 1);
        assertThat(a.events()).containsExactly("tick:[1]");
        b.setWritable(true);
        b.session().onDrain(b); // the connection can take data again: nothing was kept for it
        assertThat(b.events()).isEmpty();
    }

    @Test
    void aReliableBroadcastWaitsForAConnectionThatCannotTakeItNow() {
        b.setWritable(false);
        server.to("r").emit("tick", 1);
        assertThat(b.events()).isEmpty();
        b.setWritable(true);
        b.session().onDrain(b);
        assertThat(b.events()).containsExactly("tick:[1]");
    }

    @Test
    void flagsAreOneValueAndEachCallChangesOneOfThemInACopy() {
        BroadcastOperator base = server.to("r");
        BroadcastOperator flagged = base.except("x").asVolatile().local().compress(false).timeout(Duration.ofSeconds(2));
        assertThat(flagged.options().rooms()).containsExactly("r");
        assertThat(flagged.options().except()).containsExactly("x");
        assertThat(flagged.options().flags()).isEqualTo(new BroadcastFlags(true, true, false, Duration.ofSeconds(2)));
        assertThat(base.options().except()).isEmpty();
        assertThat(base.options().flags()).isEqualTo(BroadcastFlags.NONE);
    }

    @Test
    void localAndCompressBroadcastsStillReachThisNodesSockets() {
        server.to("r").local().compress(false).emit("news", 4);
        assertThat(a.events()).containsExactly("news:[4]");
        assertThat(b.events()).containsExactly("news:[4]");
    }

    @Test
    void emitWithAckCollectsEveryAnswerOfOnePacketEncodedOnce() throws Exception {
        CompletableFuture<List<Args>> answers = server.to("r").emitWithAck("question", 1);
        SocketPacket toA = a.lastEvent("question").packet();
        SocketPacket toB = b.lastEvent("question").packet();
        assertThat(toA.ackId()).isEqualTo(toB.ackId()).isNotEqualTo(SocketPacket.NO_ACK);
        assertThat(a.lastEvent("question").carrier()).isSameAs(b.lastEvent("question").carrier());
        assertThat(c.events()).isEmpty();

        a.sendText("3" + toA.ackId() + "[\"from a\"]");
        assertThat(answers).isNotDone();
        b.sendText("3" + toB.ackId() + "[\"from b\"]");
        assertThat(answers.get(5, TimeUnit.SECONDS)).extracting(args -> args.getString(0))
                .containsExactlyInAnyOrder("from a", "from b");
    }

    @Test
    void emitWithAckToNobodyCompletesAtOnceWithNoAnswers() throws Exception {
        assertThat(server.to("empty").emitWithAck("question").get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void emitWithAckFailsWithATimeoutWhenSomeDoNotAnswerInTime() {
        CompletableFuture<List<Args>> answers = server.to("r").timeout(Duration.ofMillis(100)).emitWithAck("question");
        a.sendText("3" + a.lastEvent("question").packet().ackId() + "[]");
        assertThatThrownBy(() -> answers.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TimeoutException.class)
                .hasMessage("not every client acknowledged 'question' within 100 ms");
        // a late answer finds nobody waiting and changes nothing
        b.sendText("3" + b.lastEvent("question").packet().ackId() + "[]");
        assertThat(answers).isCompletedExceptionally();
    }

    @Test
    void emitWithAckFailsWhenARecipientDisconnectsWithoutAnswering() {
        CompletableFuture<List<Args>> answers = server.to("r").emitWithAck("question");
        b.sendText("1"); // DISCONNECT from the namespace
        await().until(answers::isDone);
        assertThatThrownBy(answers::join).cause().isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("socket disconnected");
    }

    @Test
    void fetchSocketsAndTheirRoomsFollowTheSelection() {
        assertThat(server.to("r").localSockets()).containsExactlyInAnyOrder(socketA, socketB);
        assertThat(server.of("/").to("r").fetchSockets().join()).extracting(RemoteSocket::id)
                .containsExactlyInAnyOrder(socketA.id(), socketB.id());
        server.to("r").socketsJoin("joined");
        assertThat(socketA.rooms()).isEqualTo(Set.of(socketA.id(), "r", "joined"));
        server.in("joined").except(socketA.id()).socketsLeave("r", "joined");
        assertThat(socketB.rooms()).isEqualTo(Set.of(socketB.id()));
        server.in("r").disconnectSockets(false);
        assertThat(socketA.connected()).isFalse();
        assertThat(socketB.connected()).isTrue();
        assertThat(root.adapter().rooms()).doesNotContain("r", socketA.id());
    }

    @Test
    void aFetchedSocketDescribesItselfAndActsThroughTheAdapter() {
        socketA.data().put("name", "alice");
        socketA.data().put("not json", new Object() {
            private final Object self = this; // JSON-B cannot write a cycle: left out of the description
        });
        RemoteSocket fetched = server.of("/").in(socketA.id()).fetchSockets().join().get(0);
        assertThat(fetched.id()).isEqualTo(socketA.id());
        assertThat(fetched.data().getString("name")).isEqualTo("alice");
        assertThat(fetched.handshake().getString("address")).isEqualTo("127.0.0.1");
        assertThat(fetched.handshake().getJsonObject("query").getString("transport")).isEqualTo("websocket");
        assertThat(fetched.rooms()).isEqualTo(Set.of(socketA.id(), "r"));

        fetched.emit("direct", 1);
        assertThat(a.events()).containsExactly("direct:[1]");
        assertThat(b.events()).isEmpty();
        fetched.join("x", "y");
        fetched.leave("r", "y");
        assertThat(socketA.rooms()).isEqualTo(Set.of(socketA.id(), "x"));
        fetched.disconnect(false);
        assertThat(socketA.connected()).isFalse();
    }

    @Test
    void aSingleNodeCountsOneServerAndItsServerSideEmitsReachNoOtherNode() {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.onServerSideEmit("hello", (args, ack) -> heard.add(args.getString(0)));
        assertThat(server.serverCount().join()).isEqualTo(1);
        server.serverSideEmit("hello", "world");
        assertThat(server.serverSideEmitWithAck(java.time.Duration.ofSeconds(1), "hello", "world").join()).isEmpty();
        assertThat(heard).as("a node never hears its own server-side events").isEmpty();
    }
}
