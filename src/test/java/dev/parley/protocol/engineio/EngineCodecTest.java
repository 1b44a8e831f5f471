package dev.parley.protocol.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.MalformedPacketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vectors from the Engine.IO v4 protocol document (docs/engine.io-protocol/v4-current.md). */
class EngineCodecTest {

    @Test
    void encodesEveryPacketTypeAsItsDigit() {
        assertThat(EngineCodec.encodeText(EnginePacket.of(EnginePacketType.OPEN, "{\"sid\":\"x\"}")))
                .isEqualTo("0{\"sid\":\"x\"}");
        assertThat(EngineCodec.encodeText(EnginePacket.CLOSE)).isEqualTo("1");
        assertThat(EngineCodec.encodeText(EnginePacket.PING)).isEqualTo("2");
        assertThat(EngineCodec.encodeText(EnginePacket.PONG)).isEqualTo("3");
        assertThat(EngineCodec.encodeText(EnginePacket.message("hello"))).isEqualTo("4hello");
        assertThat(EngineCodec.encodeText(EnginePacket.UPGRADE)).isEqualTo("5");
        assertThat(EngineCodec.encodeText(EnginePacket.NOOP)).isEqualTo("6");
        assertThat(EngineCodec.encodeText(EnginePacket.PING_PROBE)).isEqualTo("2probe");
        assertThat(EngineCodec.encodeText(EnginePacket.PONG_PROBE)).isEqualTo("3probe");
    }

    @Test
    void decodesTextFrames() throws Exception {
        assertThat(EngineCodec.decodeText("4hello")).isEqualTo(EnginePacket.message("hello"));
        assertThat(EngineCodec.decodeText("2probe")).isEqualTo(EnginePacket.PING_PROBE);
        assertThat(EngineCodec.decodeText("3")).isEqualTo(EnginePacket.PONG);
        assertThat(EngineCodec.decodeText("5")).isEqualTo(EnginePacket.UPGRADE);
        assertThat(EngineCodec.decodeText("4").text()).isEmpty();
        assertThat(EngineCodec.decodeText("4€ 😀")).isEqualTo(EnginePacket.message("€ 😀"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7", "a", "abc", "x4hello", "/"})
    void refusesMalformedTextFrames(String frame) {
        assertThatThrownBy(() -> EngineCodec.decodeText(frame)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void aBinaryFrameIsABinaryMessage() {
        EnginePacket p = EngineCodec.decodeBinary(new byte[] {1, 2, 3, 4});
        assertThat(p.type()).isEqualTo(EnginePacketType.MESSAGE);
        assertThat(p.isBinary()).isTrue();
        assertThat(p.binary()).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> EngineCodec.encodeText(p)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodesThePayloadVectorsOfTheSpec() {
        // "4hello\x1e2\x1e4€" and "4hello\x1ebAQIDBA==" from the spec's long-polling section
        assertThat(EngineCodec.encodePayload(List.of(EnginePacket.message("hello"), EnginePacket.PING,
                EnginePacket.message("€")))).isEqualTo("4hello\u001e2\u001e4€");
        assertThat(EngineCodec.encodePayload(List.of(EnginePacket.message("hello"),
                EnginePacket.binary(new byte[] {1, 2, 3, 4})))).isEqualTo("4hello\u001ebAQIDBA==");
        assertThat(EngineCodec.encodePayload(List.of(EnginePacket.NOOP))).isEqualTo("6");
    }

    @Test
    void encodesThePayloadOfEncodedPacketsAsThatOfThePackets() {
        assertThat(EngineCodec.encodePayloadFrom(List.of(EncodedPacket.of(EnginePacket.message("hello")),
                EncodedPacket.PING, EncodedPacket.of(EnginePacket.message("€"))))).isEqualTo("4hello\u001e2\u001e4€");
        assertThat(EngineCodec.encodePayloadFrom(List.of(EncodedPacket.of(EnginePacket.message("hello")),
                EncodedPacket.of(EnginePacket.binary(new byte[] {1, 2, 3, 4}))))).isEqualTo("4hello\u001ebAQIDBA==");
        assertThat(EngineCodec.encodePayloadFrom(List.of(EncodedPacket.NOOP))).isEqualTo("6");
    }

    @Test
    void encodesThePayloadBytesAsTheUtf8OfThePayloadText() {
        // Short, 126..65535 and longer texts: their bytes come out of frames with 2-, 4- and 10-byte headers.
        List<EncodedPacket> packets = List.of(EncodedPacket.of(EnginePacket.message("hello")), EncodedPacket.PING,
                EncodedPacket.of(EnginePacket.message("€".repeat(50))),
                EncodedPacket.of(EnginePacket.binary(new byte[] {1, 2, 3, 4})),
                EncodedPacket.of(EnginePacket.message("x".repeat(70_000))), EncodedPacket.of(EnginePacket.message("")));
        assertThat(EngineCodec.encodePayloadBytes(packets))
                .isEqualTo(EngineCodec.encodePayloadFrom(packets).getBytes(StandardCharsets.UTF_8));
        assertThat(EngineCodec.encodePayloadBytes(List.of(EncodedPacket.NOOP))).containsExactly('6');
        assertThat(EngineCodec.encodePayloadBytes(List.of())).isEmpty();
    }

    @Test
    void decodesThePayloadVectorsOfTheSpec() throws Exception {
        assertThat(EngineCodec.decodePayload("4hello\u001e2\u001e4€")).containsExactly(EnginePacket.message("hello"),
                EnginePacket.PING, EnginePacket.message("€"));
        List<EnginePacket> mixed = EngineCodec.decodePayload("4hello\u001ebAQIDBA==");
        assertThat(mixed.get(0)).isEqualTo(EnginePacket.message("hello"));
        assertThat(mixed.get(1).binary()).containsExactly(1, 2, 3, 4);
        assertThat(EngineCodec.decodePayload("3")).containsExactly(EnginePacket.PONG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "4a\u001e", "\u001e4a", "4a\u001e\u001e4b", "b!!!", "4a\u001e9"})
    void refusesMalformedPayloads(String body) {
        assertThatThrownBy(() -> EngineCodec.decodePayload(body)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void base64WithWhitespaceDecodesAsNodeDecodesIt() throws Exception {
        // The Java socket.io-client 2.x (android-style Base64, DEFAULT flags) ends every line with \n.
        assertThat(EngineCodec.decodePayload("bAQID\n").get(0).binary()).containsExactly(1, 2, 3);
        assertThat(EngineCodec.decodePayload("bAQ ID").get(0).binary()).containsExactly(1, 2, 3);
        assertThat(EngineCodec.decodePayload("b AQID\r\n").get(0).binary()).containsExactly(1, 2, 3);
        assertThat(EngineCodec.decodePayload("bAQ\tI\fD").get(0).binary()).containsExactly(1, 2, 3);
        assertThat(EngineCodec.decodePayload("bAQIDBA==\n").get(0).binary()).containsExactly(1, 2, 3, 4);
        // 60 bytes 0..59 as android's Base64.DEFAULT writes them: 76 characters per line, each line ended.
        List<EnginePacket> wrapped = EngineCodec.decodePayload("4hello\u001eb"
                + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\n"
                + "OTo7\n");
        assertThat(wrapped.get(0)).isEqualTo(EnginePacket.message("hello"));
        byte[] expected = new byte[60];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) i;
        }
        assertThat(wrapped.get(1).binary()).isEqualTo(expected);
    }

    @ParameterizedTest
    // what the MIME decoder would skip silently must still be refused: only whitespace is ignored
    @ValueSource(strings = {"bAQ!ID", "bAQ_D", "bAQ-D", "bAQ\u00e9ID", "bAQ\u000bID", "bAQ\u00a0ID", "bAQID\n!",
        "bA=QID", "bAQID\u001e4a\u001eb\n*"})
    void base64WithAnythingButWhitespaceIsStillRefused(String body) {
        assertThatThrownBy(() -> EngineCodec.decodePayload(body)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void payloadsRoundTrip() throws Exception {
        List<EnginePacket> packets = List.of(EnginePacket.message("a\u001fb"), EnginePacket.binary(new byte[0]),
                EnginePacket.binary(new byte[] {(byte) 0xff, 0}), EnginePacket.CLOSE, EnginePacket.message(""));
        assertThat(EngineCodec.decodePayload(EngineCodec.encodePayload(packets))).isEqualTo(packets);
    }

    @Test
    void writesTheOpenPacketWithTheReferenceKeysInOrder() {
        assertThat(EngineCodec.encodeOpen("lv_VI97HAXpY6yYWAAAC", List.of("websocket"), 25000, 20000, 1000000))
                .isEqualTo("0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
                        + "\"pingTimeout\":20000,\"maxPayload\":1000000}");
        assertThat(EngineCodec.encodeOpen("a\"b\\c", List.of(), 1, 2, 3))
                .isEqualTo("0{\"sid\":\"a\\\"b\\\\c\",\"upgrades\":[],\"pingInterval\":1,\"pingTimeout\":2,"
                        + "\"maxPayload\":3}");
    }

    @Test
    void typesMapToTheirDigits() throws Exception {
        for (EnginePacketType t : EnginePacketType.values()) {
            assertThat(EnginePacketType.fromCode(t.code())).isEqualTo(t);
        }
        assertThat(EnginePacketType.MESSAGE.code()).isEqualTo('4');
    }
}
