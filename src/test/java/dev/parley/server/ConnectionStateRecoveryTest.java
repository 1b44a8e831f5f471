package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.RecoveryFailure;
import dev.parley.adapter.SessionAwareAdapter;
import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.engine.EngineOptions;
import dev.parley.standalone.StandaloneServer;
import dev.parley.testing.CuttingProxy;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection state recovery on a real {@link ParleyServer} over {@link RecordingConnection}s: the
 * CONNECT reply's {@code pid} and the events' offsets only when it is on; a socket whose connection
 * was lost comes back, on a new connection, with its id, rooms and data and the events it missed in
 * order before any new one; expiry; the count bound; middleware skipped or not.
 */
class ConnectionStateRecoveryTest {

    private final List<ParleyServer> servers = new ArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(ParleyServer::close);
    }

    private ParleyServer server(ParleyOptions.Builder options) {
        ParleyServer server = new ParleyServer(options.build());
        servers.add(server);
        return server;
    }

    private ParleyServer recovering() {
        return server(ParleyOptions.builder().recoveryMaxDisconnection(60_000));
    }

    /** The events a connection received, each as its arguments (the name first, the offset last). */
    private static List<JsonArray> events(RecordingConnection conn) {
        List<JsonArray> out = new ArrayList<>();
        for (RecordingConnection.Received r : conn.received()) {
            SocketPacketType t = r.packet().type();
            if (t == SocketPacketType.EVENT || t == SocketPacketType.BINARY_EVENT) {
                out.add(r.packet().data().asJsonArray());
            }
        }
        return out;
    }

    private static List<String> names(List<JsonArray> events) {
        return events.stream().map(a -> a.getString(0)).toList();
    }

    /** The last offset a client would remember: the last string argument of the last event. */
    private static String lastOffset(RecordingConnection conn) {
        List<JsonArray> all = events(conn);
        JsonArray last = all.get(all.size() - 1);
        return last.getString(last.size() - 1);
    }

    private static String claim(JsonObject reply, String offset) {
        return "{\"pid\":\"" + reply.getString("pid") + "\",\"offset\":\"" + offset + "\"}";
    }

    // ---------------------------------------------------------------- off: the wire as before

    @Test
    void offByDefaultTheReplyHoldsOnlyTheSidAndEventsNoOffset() {
        ParleyServer server = server(ParleyOptions.builder());
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        assertThat(reply.keySet()).containsExactly("sid");
        Socket socket = server.of("/").sockets().get(reply.getString("sid"));
        socket.emit("direct", 1);
        server.emit("broadcast", 2);
        assertThat(events(conn)).map(JsonArray::toString).containsExactly("[\"direct\",1]", "[\"broadcast\",2]");
        conn.lose();
        assertThat(socket.recovered()).isFalse();
    }

    // ---------------------------------------------------------------- on: pid and offsets

    @Test
    void onTheReplyCarriesAPidAndEveryReliableEventWithoutAckAnOffset() {
        ParleyServer server = recovering();
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        assertThat(reply.keySet()).containsExactlyInAnyOrder("sid", "pid");
        assertThat(reply.getString("pid")).hasSize(20).isNotEqualTo(reply.getString("sid"));
        Socket socket = server.of("/").sockets().get(reply.getString("sid"));

        socket.emit("direct", 1);
        server.emit("broadcast", 2);
        socket.emit("binary", (Object) new byte[] {9});
        server.asVolatile().emit("volatile", 3);
        socket.emitWithAck(Duration.ofMillis(100), "with-ack", 4);
        server.emitWithAck("broadcast-with-ack", 5);

        List<JsonArray> got = events(conn);
        assertThat(names(got)).containsExactly("direct", "broadcast", "binary", "volatile", "with-ack",
                "broadcast-with-ack");
        assertThat(got.get(0)).hasSize(3);
        assertThat(got.get(0).get(2)).isInstanceOf(JsonString.class);
        assertThat(got.get(1)).hasSize(3);
        assertThat(got.get(2)).hasSize(3); // [name, placeholder, offset]
        assertThat(got.get(2).getJsonObject(1).getBoolean("_placeholder")).isTrue();
        assertThat(got.get(3)).hasSize(2);
        assertThat(got.get(4)).hasSize(2);
        assertThat(got.get(5)).hasSize(2);
        assertThat(List.of(got.get(0).getString(2), got.get(1).getString(2), got.get(2).getString(2)))
                .doesNotHaveDuplicates();
    }

    @Test
    void aClientAckCarriesNoOffset() {
        ParleyServer server = recovering();
        server.onConnection(s -> s.on("q", (args, ack) -> ack.send("answer")));
        RecordingConnection conn = RecordingConnection.open(server);
        conn.connectWith("/", "");
        conn.sendText("27[\"q\"]");
        SocketPacket ack = conn.received().get(conn.received().size() - 1).packet();
        assertThat(ack.type()).isEqualTo(SocketPacketType.ACK);
        assertThat(ack.data().toString()).isEqualTo("[\"answer\"]");
    }

    // ---------------------------------------------------------------- restore

    @Test
    void aLostSocketComesBackWithItsIdRoomsDataAndTheEventsItMissedInOrderBeforeNewOnes() {
        ParleyServer server = recovering();
        List<String> atConnection = new CopyOnWriteArrayList<>();
        server.onConnection(s -> {
            atConnection.add(s.id() + " recovered=" + s.recovered() + " failure=" + s.recoveryFailure());
            s.emit("hello");
        });
        RecordingConnection first = RecordingConnection.open(server);
        JsonObject reply = first.connectWith("/", "");
        String sid = reply.getString("sid");
        Socket before = server.of("/").sockets().get(sid);
        before.join("room");
        before.data().put("name", "ada");
        server.emit("seen");
        String offset = lastOffset(first);
        server.to("room").emit("in-flight"); // written, but the client never processed it

        first.lose();
        assertThat(server.of("/").sockets()).doesNotContainKey(sid);
        server.to("room").emit("to-room", 1);
        server.except("room").emit("not-for-room");
        server.to(sid).emit("to-its-id");
        server.emit("to-all", 2);

        RecordingConnection second = RecordingConnection.open(server);
        JsonObject again = second.connectWith("/", claim(reply, offset));
        server.emit("after");

        assertThat(again.getString("sid")).isEqualTo(sid);
        assertThat(again.getString("pid")).isEqualTo(reply.getString("pid"));
        Socket after = server.of("/").sockets().get(sid);
        assertThat(after).isNotSameAs(before);
        assertThat(after.recovered()).isTrue();
        assertThat(after.recoveryFailure()).isEmpty();
        assertThat(after.rooms()).isEqualTo(Set.of(sid, "room"));
        assertThat(after.data()).containsEntry("name", "ada");
        assertThat(atConnection).containsExactly(sid + " recovered=false failure=Optional.empty",
                sid + " recovered=true failure=Optional.empty");
        // the CONNECT reply first, then what was missed, then what the connection handler and later broadcasts sent
        assertThat(second.received().get(0).packet().type()).isEqualTo(SocketPacketType.CONNECT);
        assertThat(names(events(second))).containsExactly("in-flight", "to-room", "to-its-id", "to-all", "hello",
                "after");
    }

    @Test
    void aRecoveredSocketLostAgainComesBackAgain() {
        ParleyServer server = recovering();
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        for (int i = 0; i < 3; i++) {
            server.emit("n", i);
            String offset = lastOffset(conn);
            conn.lose();
            server.emit("missed", i);
            conn = RecordingConnection.open(server);
            JsonObject again = conn.connectWith("/", claim(reply, offset));
            assertThat(again.getString("sid")).isEqualTo(reply.getString("sid"));
            assertThat(names(events(conn))).containsExactly("missed");
        }
    }

    @Test
    void aSocketThatLeftOnPurposeIsNotKept() {
        ParleyServer server = recovering();
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        server.emit("seen");
        String offset = lastOffset(conn);
        conn.sendText("1"); // the client's own disconnect
        RecordingConnection second = RecordingConnection.open(server);
        JsonObject again = second.connectWith("/", claim(reply, offset));
        assertThat(again.getString("sid")).isNotEqualTo(reply.getString("sid"));
        Socket socket = server.of("/").sockets().get(again.getString("sid"));
        assertThat(socket.recovered()).isFalse();
        assertThat(socket.recoveryFailure()).contains(RecoveryFailure.UNKNOWN_SESSION);
    }

    @Test
    void anUnknownOffsetGetsAFreshSessionWithItsReason() {
        ParleyServer server = recovering();
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        server.emit("seen");
        conn.lose();
        RecordingConnection second = RecordingConnection.open(server);
        JsonObject again = second.connectWith("/", claim(reply, "not-an-offset"));
        Socket socket = server.of("/").sockets().get(again.getString("sid"));
        assertThat(again.getString("pid")).isNotEqualTo(reply.getString("pid"));
        assertThat(socket.recoveryFailure()).contains(RecoveryFailure.INVALID_OFFSET);
        assertThat(socket.recoveryFailure().get().description()).isEqualTo("no offset, or one this server never issued");
        assertThat(events(second)).isEmpty();
    }

    // ---------------------------------------------------------------- bounds

    @Test
    void aSessionExpiresAfterTheSetting() {
        ParleyServer server = server(ParleyOptions.builder().recoveryMaxDisconnection(300));
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        server.emit("seen");
        String offset = lastOffset(conn);
        SessionAwareAdapter adapter = (SessionAwareAdapter) server.of("/").adapter();
        conn.lose();
        assertThat(adapter.sessionCount()).isEqualTo(1);

        await().atLeast(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> adapter.sessionCount() == 0);
        RecordingConnection second = RecordingConnection.open(server);
        JsonObject again = second.connectWith("/", claim(reply, offset));
        Socket socket = server.of("/").sockets().get(again.getString("sid"));
        assertThat(again.getString("sid")).isNotEqualTo(reply.getString("sid"));
        assertThat(socket.recovered()).isFalse();
        assertThat(socket.recoveryFailure()).contains(RecoveryFailure.UNKNOWN_SESSION);
        assertThat(socket.recoveryFailure().get().description()).isEqualTo("unknown or expired session");
    }

    @Test
    void aClientThatMissedMoreThanTheCountBoundGetsAFreshSessionAndNoPartialReplay() {
        ParleyServer server = server(ParleyOptions.builder().recoveryMaxDisconnection(60_000).recoveryMaxPackets(3));
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        Socket before = server.of("/").sockets().get(reply.getString("sid"));
        before.join("room");
        before.data().put("name", "ada");
        server.emit("seen");
        String offset = lastOffset(conn);
        conn.lose();
        for (int i = 0; i < 4; i++) {
            server.emit("missed", i);
        }

        RecordingConnection second = RecordingConnection.open(server);
        JsonObject again = second.connectWith("/", claim(reply, offset));
        Socket socket = server.of("/").sockets().get(again.getString("sid"));
        assertThat(again.getString("sid")).isNotEqualTo(reply.getString("sid"));
        assertThat(again.getString("pid")).isNotEqualTo(reply.getString("pid"));
        assertThat(socket.recovered()).isFalse();
        assertThat(socket.recoveryFailure()).contains(RecoveryFailure.MISSED_PACKETS_BEYOND_BOUND);
        assertThat(socket.recoveryFailure().get().description()).isEqualTo("missed packets beyond the bound");
        assertThat(socket.rooms()).containsExactly(socket.id());
        assertThat(socket.data()).doesNotContainKey("name");
        assertThat(events(second)).isEmpty();
    }

    @Test
    void aClientThatMissedExactlyTheCountBoundIsRecovered() {
        ParleyServer server = server(ParleyOptions.builder().recoveryMaxDisconnection(60_000).recoveryMaxPackets(3));
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        server.emit("seen");
        String offset = lastOffset(conn);
        conn.lose();
        for (int i = 0; i < 3; i++) {
            server.emit("missed", i);
        }
        RecordingConnection second = RecordingConnection.open(server);
        JsonObject again = second.connectWith("/", claim(reply, offset));
        assertThat(again.getString("sid")).isEqualTo(reply.getString("sid"));
        assertThat(events(second)).map(a -> a.getString(0) + a.getInt(1)).containsExactly("missed0", "missed1",
                "missed2");
    }

    // ---------------------------------------------------------------- middleware

    @Test
    void aRecoveredSocketSkipsTheNamespacesMiddlewareByDefault() {
        ParleyServer server = recovering();
        AtomicInteger runs = new AtomicInteger();
        server.use((socket, next) -> {
            runs.incrementAndGet();
            next.proceed();
        });
        assertThat(reconnect(server).recovered()).isTrue();
        assertThat(runs).hasValue(1); // the first connection only
    }

    @Test
    void withSkipOffTheMiddlewareRunsAndSeesTheRecoveredSocket() {
        ParleyServer server = server(ParleyOptions.builder().recoveryMaxDisconnection(60_000)
                .recoverySkipMiddlewares(false));
        List<String> seen = new CopyOnWriteArrayList<>();
        server.use((socket, next) -> {
            seen.add(socket.recovered() + " " + socket.data().get("name"));
            next.proceed();
        });
        assertThat(reconnect(server).recovered()).isTrue();
        assertThat(seen).containsExactly("false null", "true ada");
    }

    @Test
    void aRecoveryRefusedByMiddlewareRestoresNothing() {
        ParleyServer server = server(ParleyOptions.builder().recoveryMaxDisconnection(60_000)
                .recoverySkipMiddlewares(false));
        AtomicInteger runs = new AtomicInteger();
        server.use((socket, next) -> {
            if (runs.incrementAndGet() > 1) {
                next.fail(new ConnectError("not now", Map.of()));
            } else {
                next.proceed();
            }
        });
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        server.emit("seen");
        String offset = lastOffset(conn);
        conn.lose();
        server.emit("missed");
        RecordingConnection second = RecordingConnection.open(server);
        second.sendText("0" + claim(reply, offset));
        assertThat(second.received()).singleElement()
                .satisfies(r -> assertThat(r.packet().type()).isEqualTo(SocketPacketType.CONNECT_ERROR));
        assertThat(server.of("/").sockets()).isEmpty();
    }

    @Test
    void aSessionClaimedByAnotherConnectionDuringTheMiddlewareLeavesAFreshSessionUnderANewId() {
        ParleyServer server = server(ParleyOptions.builder().recoveryMaxDisconnection(60_000)
                .recoverySkipMiddlewares(false));
        List<Next> held = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        server.use((socket, next) -> {
            if (runs.incrementAndGet() == 2) {
                held.add(next); // the first recovery attempt waits here
            } else {
                next.proceed();
            }
        });
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        String sid = reply.getString("sid");
        server.of("/").sockets().get(sid).data().put("name", "ada");
        server.emit("seen");
        String offset = lastOffset(conn);
        conn.lose();

        RecordingConnection slow = RecordingConnection.open(server);
        slow.sendText("0" + claim(reply, offset));
        RecordingConnection fast = RecordingConnection.open(server);
        assertThat(fast.connectWith("/", claim(reply, offset)).getString("sid")).isEqualTo(sid);
        assertThat(server.of("/").sockets().get(sid).recovered()).isTrue();

        held.get(0).proceed();
        JsonObject late = (JsonObject) slow.received().get(0).packet().data();
        Socket fresh = server.of("/").sockets().get(late.getString("sid"));
        assertThat(late.getString("sid")).isNotEqualTo(sid);
        assertThat(late.getString("pid")).isNotEqualTo(reply.getString("pid"));
        assertThat(fresh.recovered()).isFalse();
        assertThat(fresh.recoveryFailure()).contains(RecoveryFailure.UNKNOWN_SESSION);
        assertThat(fresh.data()).doesNotContainKey("name");
        assertThat(server.of("/").sockets().get(sid).data()).containsEntry("name", "ada");
    }

    // ---------------------------------------------------------------- a recovery before the server noticed the loss

    @Test
    void aRecoveryWhileTheOldConnectionStillLooksOpenClosesItAsLostAndRestoresTheSession() {
        ParleyServer server = recovering();
        List<String> disconnects = new CopyOnWriteArrayList<>();
        List<String> atConnection = new CopyOnWriteArrayList<>();
        server.onConnection(s -> {
            atConnection.add(s.id() + " recovered=" + s.recovered());
            s.onDisconnect((reason, description) -> disconnects.add(s.id() + " " + reason.wire()));
        });
        RecordingConnection frozen = RecordingConnection.open(server);
        JsonObject reply = frozen.connectWith("/", "");
        String sid = reply.getString("sid");
        Socket before = server.of("/").sockets().get(sid);
        before.join("room");
        server.emit("seen");
        String offset = lastOffset(frozen);
        // written to the frozen connection, never processed by the client: it must come again
        server.to("room").emit("in-flight", 1);
        server.emit("in-flight", 2);

        // the client's heartbeat gave up; the server still holds the socket as connected
        assertThat(server.of("/").sockets()).containsKey(sid);
        RecordingConnection second = RecordingConnection.open(server);
        JsonObject again = second.connectWith("/", claim(reply, offset));
        server.emit("after");

        assertThat(again.getString("sid")).isEqualTo(sid);
        assertThat(again.getString("pid")).isEqualTo(reply.getString("pid"));
        Socket after = server.of("/").sockets().get(sid);
        assertThat(after).isNotSameAs(before);
        assertThat(after.recovered()).isTrue();
        assertThat(after.rooms()).isEqualTo(Set.of(sid, "room"));
        assertThat(before.connected()).isFalse();
        assertThat(disconnects).as("the old socket left once, for a recoverable reason").containsExactly(
                sid + " transport close");
        // the connection handlers run after the CONNECT reply, here on the thread that ended the wait for the
        // old socket (the timer): the reply can be read first
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(atConnection)
                .containsExactly(sid + " recovered=false", sid + " recovered=true"));
        assertThat(events(second)).map(JsonArray::toString).map(e -> e.replaceAll(",\"[^\"]*\"]$", "]"))
                .as("each missed event once, in order, then the new one").containsExactly(
                        "[\"in-flight\",1]", "[\"in-flight\",2]", "[\"after\"]");
        assertThat(frozen.session().state()).isIn(dev.parley.engine.EngineSession.State.CLOSING,
                dev.parley.engine.EngineSession.State.CLOSED);

        // the old connection's own end, noticed later, neither stores the session again nor disconnects twice
        frozen.lose();
        SessionAwareAdapter adapter = (SessionAwareAdapter) server.of("/").adapter();
        assertThat(adapter.sessionCount()).isZero();
        assertThat(disconnects).hasSize(1);
        assertThat(server.of("/").sockets().get(sid)).isSameAs(after);
        assertThat(after.connected()).isTrue();
        assertThat(after.rooms()).isEqualTo(Set.of(sid, "room"));
    }

    /**
     * The server notices the old connection's loss (its ping timeout) while the recovery is arriving: the
     * recovery waits for that close to finish storing the session, rather than look it up half-way.
     */
    @Test
    void aRecoveryArrivingWhileTheOldSocketIsClosingWaitsForItsSessionToBeStored() throws Exception {
        ParleyServer server = recovering();
        CountDownLatch closing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.onConnection(s -> s.onDisconnecting((reason, description) -> {
            closing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS); // the close stands still before the session is stored
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        RecordingConnection old = RecordingConnection.open(server);
        JsonObject reply = old.connectWith("/", "");
        server.emit("seen");
        String offset = lastOffset(old);
        Thread lose = new Thread(old::lose, "losing-the-old-connection");
        lose.start();
        assertThat(closing.await(10, TimeUnit.SECONDS)).isTrue();

        RecordingConnection second = RecordingConnection.open(server);
        int before = second.received().size();
        second.sendText("0" + claim(reply, offset));
        release.countDown();
        JsonObject again = second.awaitConnectReply("/", before);
        lose.join(10_000);

        assertThat(again.getString("sid")).isEqualTo(reply.getString("sid"));
        assertThat(server.of("/").sockets().get(again.getString("sid")).recovered()).isTrue();
    }

    /**
     * socket.io-client's {@code disconnect()} then {@code connect()}: the DISCONNECT leaves on the old
     * connection, the CONNECT with the old pid on a new one, and the server may read the CONNECT first.
     */
    @Test
    void aDisconnectReadJustAfterTheRecoveryOnANewConnectionStillMeansLeftOnPurpose() {
        ParleyServer server = recovering();
        List<String> disconnects = new CopyOnWriteArrayList<>();
        server.onConnection(s -> s.onDisconnect((reason, description) -> disconnects.add(reason.wire())));
        RecordingConnection old = RecordingConnection.open(server);
        JsonObject reply = old.connectWith("/", "");
        server.emit("seen");
        String offset = lastOffset(old);

        RecordingConnection second = RecordingConnection.open(server);
        int before = second.received().size();
        second.sendText("0" + claim(reply, offset));
        old.sendText("1"); // the DISCONNECT, read late
        JsonObject fresh = second.awaitConnectReply("/", before);

        assertThat(fresh.getString("sid")).isNotEqualTo(reply.getString("sid"));
        Socket socket = server.of("/").sockets().get(fresh.getString("sid"));
        assertThat(socket.recovered()).isFalse();
        assertThat(socket.recoveryFailure()).contains(RecoveryFailure.UNKNOWN_SESSION);
        assertThat(disconnects).containsExactly("client namespace disconnect");
        assertThat(old.session().state()).as("only its namespace was left").isEqualTo(
                dev.parley.engine.EngineSession.State.OPEN);
    }

    @Test
    void aRecoveryWhileTheOldConnectionStillLooksOpenWithAnOlderOffsetGetsExactlyWhatFollowsThatOffset() {
        ParleyServer server = recovering();
        RecordingConnection frozen = RecordingConnection.open(server);
        JsonObject reply = frozen.connectWith("/", "");
        server.emit("n", 0);
        String older = lastOffset(frozen);
        server.emit("n", 1);
        server.emit("n", 2);

        RecordingConnection second = RecordingConnection.open(server);
        JsonObject again = second.connectWith("/", claim(reply, older));
        assertThat(again.getString("sid")).isEqualTo(reply.getString("sid"));
        assertThat(server.of("/").sockets().get(again.getString("sid")).recovered()).isTrue();
        // replayed after the reply, on the thread that granted the recovery
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(events(second)).map(a -> a.getInt(1)).containsExactly(1, 2));
    }

    @Test
    void thePidOfAConnectedSocketInAnotherNamespaceIsNotAccepted() {
        ParleyServer server = recovering();
        server.of("/other");
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/other", "");
        server.of("/other").emit("n", 1);
        String offset = lastOffset(conn);

        RecordingConnection second = RecordingConnection.open(server);
        JsonObject fresh = second.connectWith("/", claim(reply, offset));
        assertThat(fresh.getString("sid")).isNotEqualTo(reply.getString("sid"));
        assertThat(fresh.getString("pid")).isNotEqualTo(reply.getString("pid"));
        Socket socket = server.of("/").sockets().get(fresh.getString("sid"));
        assertThat(socket.recovered()).isFalse();
        assertThat(socket.recoveryFailure()).contains(RecoveryFailure.UNKNOWN_SESSION);
        Socket other = server.of("/other").sockets().get(reply.getString("sid"));
        assertThat(other.connected()).as("the other namespace's socket is left alone").isTrue();
        assertThat(conn.session().state()).isEqualTo(dev.parley.engine.EngineSession.State.OPEN);
    }

    @Test
    void parleysClientStrandedMidStreamRecoversBeforeTheServerNoticedTheLoss() throws Exception {
        // A long ping timeout: the server cannot notice the stranded connection during the test.
        ParleyServer server = server(ParleyOptions.builder().recoveryMaxDisconnection(60_000)
                .engine(EngineOptions.builder().pingInterval(25_000).pingTimeout(60_000).build()));
        List<String> serverDisconnects = new CopyOnWriteArrayList<>();
        server.onConnection(s -> s.onDisconnect((reason, description) -> serverDisconnects.add(reason.wire())));
        int count = 300;
        List<Integer> ticks = new CopyOnWriteArrayList<>();
        List<String> reasons = new CopyOnWriteArrayList<>();
        ScheduledExecutorService stream = Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "recovery-test-stream"));
        // WebSocket only: one connection to strand (polling holds several, each noticed on its own)
        ClientOptions options = ClientOptions.defaults().transports(List.of(ClientOptions.WEBSOCKET))
                .reconnectionDelay(50).reconnectionDelayMax(200).connectTimeout(3000);
        try (StandaloneServer http = StandaloneServer.start("127.0.0.1", 0,
                        List.of(new StandaloneServer.Mount(server.engine(), false)), false);
                CuttingProxy proxy = new CuttingProxy(http.port());
                ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + proxy.port()), options)) {
            ClientSocket socket = client.socket("/", null, c -> c
                    .on("tick", (args, reply) -> ticks.add(args.getInt(0)))
                    .onDisconnect(reasons::add));
            String firstId = socket.connected().get(10, TimeUnit.SECONDS);
            AtomicInteger next = new AtomicInteger();
            stream.scheduleAtFixedRate(() -> {
                int n = next.getAndIncrement();
                if (n < count) {
                    server.emit("tick", n);
                }
            }, 0, 3, TimeUnit.MILLISECONDS);

            await().atMost(Duration.ofSeconds(15)).until(() -> ticks.size() >= 50);
            assertThat(proxy.strand()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(15)).until(() -> reasons.size() == 1 && socket.isConnected());
            assertThat(reasons).containsExactly("transport close");
            assertThat(socket.recovered()).as("recovered while the server still held the old connection").isTrue();
            assertThat(socket.id()).isEqualTo(firstId);
            assertThat(serverDisconnects).containsExactly("transport close");

            await().atMost(Duration.ofSeconds(15)).until(() -> ticks.size() >= count);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> ticks.size() == count);
            assertThat(ticks).isEqualTo(IntStream.range(0, count).boxed().toList());
            assertThat(serverDisconnects).hasSize(1);
        } finally {
            stream.shutdownNow();
        }
    }

    /** Connects (middleware sets data), loses the connection, reconnects with the claim: the socket after. */
    private static Socket reconnect(ParleyServer server) {
        server.onConnection(s -> s.data().putIfAbsent("name", "ada"));
        RecordingConnection conn = RecordingConnection.open(server);
        JsonObject reply = conn.connectWith("/", "");
        server.emit("seen");
        String offset = lastOffset(conn);
        conn.lose();
        RecordingConnection second = RecordingConnection.open(server);
        JsonObject again = second.connectWith("/", claim(reply, offset));
        assertThat(again.getString("sid")).isEqualTo(reply.getString("sid"));
        return server.of("/").sockets().get(again.getString("sid"));
    }
}
