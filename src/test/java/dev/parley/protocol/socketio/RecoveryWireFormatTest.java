package dev.parley.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connection state recovery on the wire, as socket.io 4.8 writes and reads it: the CONNECT reply's
 * {@code pid}, the offset as an event's last argument, and the {@code pid}/{@code offset} a client
 * puts in its CONNECT. Literal vectors.
 */
class RecoveryWireFormatTest {

    private static JsonArray array(String json) {
        return Json.createReader(new StringReader(json)).readArray();
    }

    @Test
    void theConnectReplyCarriesThePidOnlyWhenThereIsOne() {
        assertThat(SocketPacketEncoder.encode(SocketPacket.connected("/", "s1", null))).isEqualTo("0{\"sid\":\"s1\"}");
        assertThat(SocketPacketEncoder.encode(SocketPacket.connected("/admin", "s1", "p1")))
                .isEqualTo("0/admin,{\"sid\":\"s1\",\"pid\":\"p1\"}");
    }

    @Test
    void anOffsetIsTheEventsLastArgument() {
        SocketPacket event = SocketPacket.event("/", array("[\"news\",1,{\"a\":[2]}]"), SocketPacket.NO_ACK, List.of());
        assertThat(SocketPacketEncoder.encode(event.withOffset("AbCd-1z")))
                .isEqualTo("2[\"news\",1,{\"a\":[2]},\"AbCd-1z\"]");
        assertThat(SocketPacketEncoder.encode(event)).isEqualTo("2[\"news\",1,{\"a\":[2]}]"); // unchanged
    }

    @Test
    void aBinaryEventKeepsItsAttachmentsAndPlaceholders() {
        SocketPacket event = SocketPacket.event("/chat", array("[\"b\",{\"_placeholder\":true,\"num\":0}]"),
                SocketPacket.NO_ACK, List.of(new byte[] {7}));
        SocketPacket numbered = event.withOffset("o");
        assertThat(SocketPacketEncoder.encode(numbered))
                .isEqualTo("51-/chat,[\"b\",{\"_placeholder\":true,\"num\":0},\"o\"]");
        assertThat(numbered.attachments()).containsExactly(new byte[] {7});
    }

    @Test
    void onlyEventsTakeAnOffset() {
        assertThatThrownBy(() -> SocketPacket.ack("/", 1, array("[]"), List.of()).withOffset("o"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aClaimIsReadFromTheConnectData() throws Exception {
        SocketPacketDecoder decoder = new SocketPacketDecoder(10);
        SocketPacket connect = decoder.decodeText("0{\"token\":\"t\",\"pid\":\"p1\",\"offset\":\"AbCd-1z\"}");
        assertThat(RecoveryClaim.in(connect.data())).contains(new RecoveryClaim("p1", "AbCd-1z"));
        // socket.io-client leaves offset out when it got no event before the connection was lost
        assertThat(RecoveryClaim.in(decoder.decodeText("0{\"pid\":\"p1\"}").data()))
                .contains(new RecoveryClaim("p1", null));
        assertThat(RecoveryClaim.in(decoder.decodeText("0{\"pid\":\"p1\",\"offset\":5}").data()))
                .contains(new RecoveryClaim("p1", null));
        assertThat(RecoveryClaim.in(decoder.decodeText("0{\"token\":\"t\"}").data())).isEmpty();
        assertThat(RecoveryClaim.in(decoder.decodeText("0{\"pid\":1,\"offset\":\"o\"}").data())).isEmpty();
        assertThat(RecoveryClaim.in(decoder.decodeText("0").data())).isEmpty();
    }
}
