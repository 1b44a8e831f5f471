package dev.parley.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Vectors from the Socket.IO v5 protocol document (docs/socket.io-protocol/v5-current.md). */
class SocketPacketEncoderTest {

    private static JsonArray array(String json) {
        return Json.createReader(new StringReader(json)).readArray();
    }

    @Test
    void encodesConnectPackets() {
        assertThat(SocketPacketEncoder.encode(SocketPacket.connect("/", null))).isEqualTo("0");
        assertThat(SocketPacketEncoder.encode(SocketPacket.connect("/admin",
                Json.createObjectBuilder().add("sid", "oSO0OpakMV_3jnilAAAA").build())))
                .isEqualTo("0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}");
        assertThat(SocketPacketEncoder.encode(SocketPacket.connectError("/",
                Json.createObjectBuilder().add("message", "Not authorized").build())))
                .isEqualTo("4{\"message\":\"Not authorized\"}");
    }

    @Test
    void encodesDisconnectPackets() {
        assertThat(SocketPacketEncoder.encode(SocketPacket.disconnect("/admin"))).isEqualTo("1/admin,");
        assertThat(SocketPacketEncoder.encode(SocketPacket.disconnect("/"))).isEqualTo("1");
    }

    @Test
    void encodesEventsAndAcks() {
        assertThat(SocketPacketEncoder.encode(SocketPacket.event("/", array("[\"hello\",1]"), SocketPacket.NO_ACK,
                List.of()))).isEqualTo("2[\"hello\",1]");
        assertThat(SocketPacketEncoder.encode(SocketPacket.event("/admin", array("[\"project:delete\",123]"), 456,
                List.of()))).isEqualTo("2/admin,456[\"project:delete\",123]");
        assertThat(SocketPacketEncoder.encode(SocketPacket.ack("/admin", 456, array("[]"), List.of())))
                .isEqualTo("3/admin,456[]");
    }

    @Test
    void encodesBinaryPacketsWithTheirAttachmentCount() {
        SocketPacket event = SocketPacket.event("/", array("[\"hello\",{\"_placeholder\":true,\"num\":0}]"),
                SocketPacket.NO_ACK, List.of(new byte[] {1, 2, 3}));
        assertThat(event.type()).isEqualTo(SocketPacketType.BINARY_EVENT);
        assertThat(SocketPacketEncoder.encode(event)).isEqualTo("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]");
        SocketPacket ack = SocketPacket.ack("/admin", 456, array("[{\"_placeholder\":true,\"num\":0}]"),
                List.of(new byte[] {3, 2, 1}));
        assertThat(ack.type()).isEqualTo(SocketPacketType.BINARY_ACK);
        assertThat(SocketPacketEncoder.encode(ack)).isEqualTo("61-/admin,456[{\"_placeholder\":true,\"num\":0}]");
    }

    @Test
    void keepsNumbersExactAndOutputCompact() {
        assertThat(SocketPacketEncoder.encode(SocketPacket.event("/", array("[ \"n\", 1, 1.5, -0, 1e3, {\"a\" : [ true ] } ]"),
                SocketPacket.NO_ACK, List.of()))).isEqualTo("2[\"n\",1,1.5,0,1E+3,{\"a\":[true]}]");
    }

    @Test
    void escapesLoneSurrogatesAsJsonStringifyDoes() throws Exception {
        SocketPacket lone = new SocketPacketDecoder(10).decodeText("2[\"message\",\"\\ud800x\",\"\\udc00\",\"\\ud83d\\ude00\"]");
        assertThat(SocketPacketEncoder.encode(lone))
                .isEqualTo("2[\"message\",\"\\ud800x\",\"\\udc00\",\"\ud83d\ude00\"]");
        assertThat(SocketPacketEncoder.escapeLoneSurrogates("[\"a\ud800\"]")).isEqualTo("[\"a\\ud800\"]");
        assertThat(SocketPacketEncoder.escapeLoneSurrogates("[\"\ud800\ud800\udc00\udc00\"]"))
                .isEqualTo("[\"\\ud800\ud800\udc00\\udc00\"]");
        String plain = "[\"caf\u00e9\"]";
        assertThat(SocketPacketEncoder.escapeLoneSurrogates(plain)).isSameAs(plain);
    }
}
