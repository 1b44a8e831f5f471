package dev.parley.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The msgpack of the Redis adapter, byte for byte as notepack.io 3.0.1 writes it. The hex vectors
 * were printed once by the real notepack.io (src/test/node/node_modules) with
 * {@code node -e "const np=require('notepack.io'); console.log(np.encode(VALUE).toString('hex'))"}
 * for the VALUE given in each test's comment.
 */
class NotepackTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    // ["AbC-_1", {type: 2, data: ["hello", 1, "two", {a: [true, null]}], nsp: "/"},
    //  {rooms: ["room1"], except: [], flags: {}}]
    private static final String BROADCAST = "93a64162432d5f3183a47479706502a46461746194a568656c6c6f01a374776f81a16192"
            + "c3c0a36e7370a12f83a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380";

    // ["AbC-_1", {type: 2, data: ["bin", Buffer.from([1,2,3]), {x: Buffer.from([255])}], nsp: "/chat"},
    //  {rooms: [], except: ["r"], flags: {volatile: true}}]
    private static final String BINARY_BROADCAST = "93a64162432d5f3183a47479706502a46461746193a362696ec40301020381a178c4"
            + "01ffa36e7370a52f6368617483a5726f6f6d7390a665786365707491a172a5666c61677381a8766f6c6174696c65c3";

    // [1.5, -1, -33, 200, 70000, 4294967296, -2147483649, "a".repeat(40), undefined]
    private static final String NUMBERS = "99cb3ff8000000000000ffd0dfccc8ce00011170cf0000000100000000d3ffffffff7fffffff"
            + "d92861616161616161616161616161616161616161616161616161616161616161616161616161616161c0";

    // {uid: "x", requestId: "y", type: 9, packet: Buffer.from([7])}
    private static final String BINARY_ACK_RESPONSE = "84a3756964a178a9726571756573744964a179a47479706509a67061636b6574c40107";

    @Test
    void broadcastMessageIsWrittenAsNotepackDoes() {
        SocketPacket packet = SocketPacket.event("/", Jsonp.PROVIDER.createArrayBuilder().add("hello").add(1).add("two")
                .add(Jsonp.PROVIDER.createObjectBuilder().add("a", Jsonp.PROVIDER.createArrayBuilder().add(true)
                        .addNull())).build(), SocketPacket.NO_ACK, List.of());
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("rooms", List.of("room1"));
        opts.put("except", List.of());
        opts.put("flags", Map.of());
        byte[] bytes = Notepack.encode(List.of("AbC-_1", PacketTrees.toTree(packet), opts));
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(BROADCAST);
    }

    @Test
    void binaryBroadcastCarriesBuffersInPlaceAndReadsBackAsAttachments() throws IOException {
        Object tree = Notepack.decode(hex(BINARY_BROADCAST));
        List<?> message = (List<?>) tree;
        assertThat(message.get(0)).isEqualTo("AbC-_1");
        SocketPacket packet = PacketTrees.eventFromTree(message.get(1), "/chat");
        assertThat(packet.type()).isEqualTo(SocketPacketType.BINARY_EVENT);
        assertThat(packet.data().toString())
                .isEqualTo("[\"bin\",{\"_placeholder\":true,\"num\":0},{\"x\":{\"_placeholder\":true,\"num\":1}}]");
        assertThat(packet.attachments()).hasSize(2);
        assertThat(packet.attachments().get(0)).containsExactly(1, 2, 3);
        assertThat(packet.attachments().get(1)).containsExactly((byte) 255);
        assertThat(((Map<?, ?>) ((Map<?, ?>) message.get(2)).get("flags")).get("volatile")).isEqualTo(true);

        // and written back byte for byte (the packet as Parley holds it: placeholders + attachments)
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("rooms", List.of());
        opts.put("except", List.of("r"));
        opts.put("flags", Map.of("volatile", true));
        byte[] again = Notepack.encode(List.of("AbC-_1", PacketTrees.toTree(packet), opts));
        assertThat(HexFormat.of().formatHex(again)).isEqualTo(BINARY_BROADCAST);
    }

    @Test
    void numbersStringsAndUndefinedAsNotepack() throws IOException {
        List<Object> values = new ArrayList<>(Arrays.asList(1.5, -1L, -33L, 200L, 70000L, 4294967296L, -2147483649L,
                "a".repeat(40), null));
        assertThat(HexFormat.of().formatHex(Notepack.encode(values))).isEqualTo(NUMBERS);
        assertThat(Notepack.decode(hex(NUMBERS))).isEqualTo(values);
        // an integral double is an integer to JavaScript, hence on the wire
        assertThat(Notepack.encode(2.0)).containsExactly(2);
        // notepack's undefined inside a value (fixext 1 of type 0) reads as null
        assertThat(Notepack.decode(hex("91d40000"))).isEqualTo(Arrays.asList((Object) null));
    }

    @Test
    void binaryAckResponse() throws IOException {
        Map<?, ?> m = (Map<?, ?>) ValueTrees.decodeMessage(hex(BINARY_ACK_RESPONSE));
        assertThat(m.get("type")).isEqualTo(9L);
        assertThat((byte[]) m.get("packet")).containsExactly(7);
        Map<String, Object> back = new LinkedHashMap<>();
        back.put("uid", "x");
        back.put("requestId", "y");
        back.put("type", 9L);
        back.put("packet", new byte[] {7});
        assertThat(HexFormat.of().formatHex(Notepack.encode(back))).isEqualTo(BINARY_ACK_RESPONSE);
    }

    @Test
    void jsonMessagesAreReadToo() throws IOException {
        Map<?, ?> m = (Map<?, ?>) ValueTrees.decodeMessage(
                "{\"uid\":\"a\",\"type\":5,\"opts\":{\"rooms\":[\"r\"],\"except\":[]}}".getBytes());
        assertThat(m.get("type")).isEqualTo(5L);
        assertThat(((Map<?, ?>) m.get("opts")).get("rooms")).isEqualTo(List.of("r"));
        assertThat(ValueTrees.toJsonText(m)).isEqualTo("{\"uid\":\"a\",\"type\":5,\"opts\":{\"rooms\":[\"r\"],\"except\":[]}}");
    }

    @Test
    void malformedInputIsAnIoException() {
        assertThatThrownBy(() -> ValueTrees.decodeMessage(hex("93a641"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ValueTrees.decodeMessage("{nope".getBytes())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ValueTrees.decodeMessage(hex("c1"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> PacketTrees.eventFromTree(Map.of("type", 0L), "/"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
