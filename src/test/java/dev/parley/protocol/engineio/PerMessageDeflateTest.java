package dev.parley.protocol.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import org.junit.jupiter.api.Test;

/** permessage-deflate's payload transform, with RFC 7692's own vectors. */
class PerMessageDeflateTest {

    /** RFC 7692 section 7.2.3.1: "Hello" compressed, one DEFLATE block, tail removed. */
    private static final byte[] HELLO = {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00};

    @Test
    void inflatesTheRfcVectorsAndWhatItDeflates() throws Exception {
        try (PerMessageDeflate.Inflation in = new PerMessageDeflate.Inflation(1000)) {
            assertThat(new String(in.inflate(HELLO, true), StandardCharsets.US_ASCII)).isEqualTo("Hello");
            // 7.2.3.2: the same message again with context takeover refers back to the first one.
            byte[] again = {(byte) 0xf2, 0x00, 0x11, 0x00, 0x00};
            assertThat(new String(in.inflate(again, true), StandardCharsets.US_ASCII)).isEqualTo("Hello");
            // 7.2.3.1 split into two fragments: the message comes whole with the last one.
            assertThat(in.inflate(new byte[] {(byte) 0xf2, 0x48, (byte) 0xcd}, false)).isNull();
            assertThat(new String(in.inflate(new byte[] {(byte) 0xc9, (byte) 0xc9, 0x07, 0x00}, true),
                    StandardCharsets.US_ASCII)).isEqualTo("Hello");
            byte[] text = "42[\"event\",\"payload payload payload\"]".getBytes(StandardCharsets.UTF_8);
            byte[] compressed = PerMessageDeflate.deflate(text);
            assertThat(in.inflate(compressed, true)).isEqualTo(text);
        }
    }

    @Test
    void deflatesWithoutContextSoEveryCallGivesTheSameBytes() {
        byte[] text = "hello hello hello hello".getBytes(StandardCharsets.UTF_8);
        assertThat(PerMessageDeflate.deflate(text)).isEqualTo(PerMessageDeflate.deflate(text));
        byte[] frame = WebSocketFrames.deflated(WebSocketFrames.of(EnginePacket.message("x".repeat(2000))));
        assertThat(WebSocketFrames.isCompressed(frame)).isTrue();
        assertThat(frame[0] & 0xFF).as("FIN, RSV1, text").isEqualTo(0xC1);
        assertThat(frame.length).isLessThan(100);
    }

    @Test
    void refusesAMessageInflatingPastItsBoundAndBytesThatAreNotDeflate() {
        byte[] bomb = PerMessageDeflate.deflate(new byte[1_000_000]);
        assertThat(bomb.length).isLessThan(2_000);
        try (PerMessageDeflate.Inflation in = new PerMessageDeflate.Inflation(100_000)) {
            assertThatThrownBy(() -> in.inflate(bomb, true)).isInstanceOf(PerMessageDeflate.TooLarge.class);
        }
        try (PerMessageDeflate.Inflation in = new PerMessageDeflate.Inflation(100_000)) {
            assertThatThrownBy(() -> in.inflate(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x12}, true))
                    .isInstanceOf(DataFormatException.class);
        }
    }

    @Test
    void aPacketKeepsItsCompressFlagAndSharesItsEncoding() {
        EncodedPacket p = EncodedPacket.of(EnginePacket.message("y".repeat(3000)));
        assertThat(p.compress()).isTrue();
        EncodedPacket plain = p.withCompress(false);
        assertThat(plain.compress()).isFalse();
        assertThat(plain.text()).isSameAs(p.text());
        assertThat(p.webSocketFrame(true)).isSameAs(p.webSocketFrame(true));
        assertThat(p.webSocketPayloadLength()).isEqualTo(3001);
    }
}
