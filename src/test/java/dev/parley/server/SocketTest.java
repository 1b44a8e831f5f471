package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.engine.Delivery;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One socket of a real {@link ParleyServer} over a {@link RecordingConnection}: events, acks, rooms. */
class SocketTest {

    private final ParleyServer server = new ParleyServer(ParleyOptions.defaults());
    private final RecordingConnection conn = RecordingConnection.open(server);

    @AfterEach
    void close() {
        server.close();
    }

    private Socket connect() {
        return server.of("/").sockets().get(conn.connect("/"));
    }

    @Test
    void anEmitGoesToItsClientAloneAndAtOnce() {
        Socket socket = connect();
        RecordingConnection other = RecordingConnection.open(server);
        other.connect("/");
        socket.emit("hello", "you", 2);
        assertThat(conn.events()).containsExactly("hello:[\"you\", 2]");
        assertThat(conn.lastEvent("hello").delivery()).isEqualTo(Delivery.NOW);
        assertThat(other.events()).isEmpty();
    }

    @Test
    void reservedEventNamesAreRefused() {
        Socket socket = connect();
        assertThatThrownBy(() -> socket.emit("connect")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.to("r").emit("disconnecting")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handlersReceiveArgumentsAndAnswerAcks() {
        Socket socket = connect();
        List<String> seen = new CopyOnWriteArrayList<>();
        socket.onAny((event, args) -> seen.add("any " + event));
        socket.on("add", (args, ack) -> ack.send(args.getLong(0) + args.getLong(1)));
        conn.sendText("27[\"add\",2,3]");
        assertThat(seen).containsExactly("any add");
        SocketPacket reply = conn.received().get(conn.received().size() - 1).packet();
        assertThat(reply.type()).isEqualTo(SocketPacketType.ACK);
        assertThat(reply.ackId()).isEqualTo(7);
        assertThat(reply.data().toString()).isEqualTo("[5]");
    }

    @Test
    void emitWithAckCompletesWithTheAnswer() throws Exception {
        Socket socket = connect();
        CompletableFuture<Args> answer = socket.emitWithAck(Duration.ofSeconds(5), "question", 1);
        long id = conn.lastEvent("question").packet().ackId();
        conn.sendText("3" + id + "[\"yes\"]");
        assertThat(answer.get(5, TimeUnit.SECONDS).getString(0)).isEqualTo("yes");
    }

    @Test
    void emitWithAckTimesOut() {
        Socket socket = connect();
        CompletableFuture<Args> answer = socket.emitWithAck(Duration.ofMillis(50), "question");
        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TimeoutException.class)
                .hasMessage("no acknowledgement for 'question' within 50 ms");
    }

    @Test
    void roomsAreJoinedAndLeftAndForgottenAtDisconnect() {
        Socket socket = connect();
        socket.join("a", "b");
        assertThat(socket.rooms()).isEqualTo(Set.of(socket.id(), "a", "b"));
        socket.leave("a");
        assertThat(socket.rooms()).isEqualTo(Set.of(socket.id(), "b"));
        assertThat(server.of("/").adapter().rooms()).contains("b").doesNotContain("a");

        conn.sendText("1");
        assertThat(socket.connected()).isFalse();
        assertThat(server.of("/").adapter().rooms()).doesNotContain("b", socket.id());
        server.to("b").emit("after");
        assertThat(conn.events()).isEmpty();
    }

    @Test
    void aServerDisconnectTellsTheClient() {
        Socket socket = connect();
        socket.disconnect(false);
        SocketPacket last = conn.received().get(conn.received().size() - 1).packet();
        assertThat(last.type()).isEqualTo(SocketPacketType.DISCONNECT);
        assertThat(server.of("/").sockets()).isEmpty();
    }
}
