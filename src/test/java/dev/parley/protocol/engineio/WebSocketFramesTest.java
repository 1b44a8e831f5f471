package dev.parley.protocol.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Frame layouts from RFC 6455 section 5.7 (unmasked server frames). */
class WebSocketFramesTest {

    @Test
    void aShortTextFrameHasATwoByteHeader() {
        // RFC 6455 5.7: a single-frame unmasked text message "Hello" is 0x81 0x05 "Hello"
        assertThat(WebSocketFrames.frame(1, "Hello".getBytes())).containsExactly(0x81, 0x05, 'H', 'e', 'l', 'l', 'o');
        assertThat(WebSocketFrames.of(EnginePacket.message("hi"))).containsExactly(0x81, 0x03, '4', 'h', 'i');
    }

    @Test
    void lengthsOver125UseTheExtendedForms() {
        byte[] medium = WebSocketFrames.frame(2, new byte[256]);
        // RFC 6455 5.7: 256 bytes binary in a single unmasked frame: 0x82 0x7E 0x0100
        assertThat(Arrays.copyOf(medium, 4)).containsExactly(0x82, 0x7E, 0x01, 0x00);
        assertThat(medium).hasSize(4 + 256);
        byte[] large = WebSocketFrames.frame(2, new byte[65536]);
        // 64 KiB: 0x82 0x7F 0x0000000000010000
        assertThat(Arrays.copyOf(large, 10)).containsExactly(0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0);
        assertThat(WebSocketFrames.frame(1, new byte[125])[1]).isEqualTo((byte) 125);
        assertThat(WebSocketFrames.frame(1, new byte[126])[1]).isEqualTo((byte) 126);
    }

    @Test
    void aPacketIsFramedOnceAndBinaryMessagesAreBinaryFrames() {
        EnginePacket p = EnginePacket.message("é");
        EncodedPacket encoded = EncodedPacket.of(p);
        assertThat(encoded.webSocketFrame()).isSameAs(encoded.webSocketFrame());
        assertThat(encoded.webSocketFrame()).containsExactly(0x81, 0x03, '4', 0xC3, 0xA9);
        assertThat(encoded.text()).isEqualTo("4é");
        assertThat(WebSocketFrames.of(p)).containsExactly(0x81, 0x03, '4', 0xC3, 0xA9);
        assertThat(EncodedPacket.of(EnginePacket.binary(new byte[] {1, 2})).webSocketFrame()).containsExactly(0x82, 0x02, 1, 2);
        assertThat(EncodedPacket.of(EnginePacket.binary(new byte[] {1, 2})).text()).isNull();
        assertThat(WebSocketFrames.of(EnginePacket.binary(new byte[] {1, 2}))).containsExactly(0x82, 0x02, 1, 2);
    }

    @Test
    void thePayloadOfAFrameStartsAfterItsHeader() {
        // the RFC 6455 5.7 layouts above: 2, 4 and 10 header bytes
        assertThat(WebSocketFrames.payloadOffset(new byte[] {(byte) 0x81, 0x05, 'H', 'e', 'l', 'l', 'o'})).isEqualTo(2);
        assertThat(WebSocketFrames.payloadOffset(new byte[] {(byte) 0x82, 0x7E, 0x01, 0x00})).isEqualTo(4);
        assertThat(WebSocketFrames.payloadOffset(new byte[] {(byte) 0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0})).isEqualTo(10);
        assertThat(WebSocketFrames.isBinary(new byte[] {(byte) 0x82, 0x02, 1, 2})).isTrue();
        assertThat(WebSocketFrames.isBinary(new byte[] {(byte) 0x81, 0x03, '4', 'h', 'i'})).isFalse();
    }
}
