package dev.parley.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.adapter.BroadcastOptions;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.Placeholders;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** The cluster messages' forms on Redis, as the official adapters write and read them. */
class ClusterWireFormatTest {

    private static JsonObject json(String text) {
        return (JsonObject) ClusterMessageCodec.parseJson(text);
    }

    @Test
    void msgpackCarriesBinariesAsBinAndBackAsPlaceholders() {
        JsonValue value = Jsonp.PROVIDER.createArrayBuilder().add(1).add(2.5).add("x").addNull().add(true)
                .add(Placeholders.placeholder(0)).build();
        byte[] bytes = ClusterMessageCodec.toMsgpack(value, List.of(new byte[]{1, 2, 3}));
        ClusterMessageCodec.Decoded back = ClusterMessageCodec.fromMsgpack(bytes);
        assertThat(back.value()).isEqualTo(value);
        assertThat(back.attachments()).containsExactly(new byte[]{1, 2, 3});
    }

    @Test
    void aBroadcastWithABufferAsNotepackWritesItIsReadWithItsAttachment() throws Exception {
        // what @socket.io/redis-adapter's sharded adapter publishes for io.emit("ev", Buffer.from([7, 8]))
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(4);
            p.packString("uid").packString("a1b2c3");
            p.packString("nsp").packString("/");
            p.packString("type").packInt(3);
            p.packString("data").packMapHeader(2);
            p.packString("packet").packMapHeader(3);
            p.packString("type").packInt(2);
            p.packString("data").packArrayHeader(2).packString("ev").packBinaryHeader(2);
            p.writePayload(new byte[]{7, 8});
            p.packString("nsp").packString("/");
            p.packString("opts").packMapHeader(3);
            p.packString("rooms").packArrayHeader(0);
            p.packString("except").packArrayHeader(0);
            p.packString("flags").packMapHeader(0);
            ClusterMessage message = ShardedPubSubAdapter.decode(p.toByteArray());
            assertThat(message.type()).isEqualTo(ClusterMessageType.BROADCAST);
            SocketPacket packet = ClusterAdapter.packetFromJson(message.data().get("packet"), message.attachments());
            assertThat(packet.type()).isEqualTo(SocketPacketType.BINARY_EVENT);
            assertThat(packet.data())
                    .isEqualTo(ClusterMessageCodec.parseJson("[\"ev\",{\"_placeholder\":true,\"num\":0}]"));
            assertThat(packet.attachments()).containsExactly(new byte[]{7, 8});
        }
    }

    @Test
    void aStreamEntryIsWrittenAsTheStreamsAdapterWritesIt() {
        SocketPacket packet = SocketPacket.event("/", Jsonp.PROVIDER.createArrayBuilder().add("news").add(1).build(),
                SocketPacket.NO_ACK, List.of());
        JsonObject data = Jsonp.PROVIDER.createObjectBuilder().add("packet", ClusterAdapter.packetToJson(packet))
                .add("opts", ClusterAdapter.encodeOptions(BroadcastOptions.everyone().to("red"))).build();
        Map<String, byte[]> fields = StreamsAdapter.encodeEntry(new ClusterMessage("u1", "/",
                ClusterMessageType.BROADCAST, data, List.of()));
        Map<String, String> text = new HashMap<>();
        fields.forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
        assertThat(text).containsOnlyKeys("uid", "nsp", "type", "data").containsEntry("type", "3");
        assertThat(json(text.get("data"))).isEqualTo(json(
                "{\"packet\":{\"type\":2,\"data\":[\"news\",1],\"nsp\":\"/\"},"
                        + "\"opts\":{\"rooms\":[\"red\"],\"except\":[],\"flags\":{}}}"));
        ClusterMessage back = StreamsAdapter.decodeEntry(text);
        assertThat(back.data()).isEqualTo(data);

        // with a binary: base64 msgpack of the data alone
        SocketPacket binary = SocketPacket.event("/", Jsonp.PROVIDER.createArrayBuilder().add("bin")
                .add(Placeholders.placeholder(0)).build(), SocketPacket.NO_ACK, List.of(new byte[]{9}));
        JsonObject binaryData = Jsonp.PROVIDER.createObjectBuilder().add("packet", ClusterAdapter.packetToJson(binary))
                .add("opts", ClusterAdapter.encodeOptions(BroadcastOptions.everyone())).build();
        Map<String, String> binaryText = new HashMap<>();
        StreamsAdapter.encodeEntry(new ClusterMessage("u1", "/", ClusterMessageType.BROADCAST, binaryData,
                List.of(new byte[]{9}))).forEach((k, v) -> binaryText.put(k, new String(v, StandardCharsets.UTF_8)));
        assertThat(binaryText.get("data")).doesNotStartWith("{");
        assertThat(StreamsAdapter.decodeEntry(binaryText).attachments()).containsExactly(new byte[]{9});
    }

    @Test
    void aPubSubMessageWithoutBinaryIsJsonText() {
        ClusterMessage m = new ClusterMessage("u1", "/chat", ClusterMessageType.FETCH_SOCKETS,
                json("{\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}},\"requestId\":\"r1\"}"), List.of());
        String text = new String(ShardedPubSubAdapter.encode(m), StandardCharsets.UTF_8);
        assertThat(json(text)).isEqualTo(json("{\"uid\":\"u1\",\"nsp\":\"/chat\",\"type\":7,"
                + "\"data\":{\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}},\"requestId\":\"r1\"}}"));
    }

    @Test
    void streamIdsAreOrderedAsNumbers() {
        assertThat(StreamsAdapter.compareIds("1-10", "1-9")).isPositive();
        assertThat(StreamsAdapter.compareIds("2-0", "1-99")).isPositive();
        assertThat(StreamsAdapter.compareIds("5-5", "5-5")).isZero();
    }

    @Test
    void malformedInputIsRefusedWithIllegalArgumentException() {
        assertThatThrownBy(() -> StreamsAdapter.decodeEntry(Map.of("uid", "u", "nsp", "/", "type", "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamsAdapter.decodeEntry(Map.of("uid", "u", "nsp", "/", "type", "99")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShardedPubSubAdapter.decode("{\"uid\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterMessageCodec.fromMsgpack(new byte[]{(byte) 0xc1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
