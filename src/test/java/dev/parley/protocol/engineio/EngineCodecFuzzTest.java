package dev.parley.protocol.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.protocol.MalformedPacketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets (Jazzer) of the Engine.IO codec: a text frame, a polling payload, and packets the
 * fuzzer builds. The only outcome of bad input allowed is {@link MalformedPacketException}; anything
 * else thrown (or a hang) is a finding. What decodes must encode back: exactly for a text frame, to
 * a payload that decodes to the same packets for a polling payload (base64 may be written another
 * way than it came).
 *
 * <p>A plain {@code mvn test} replays the committed corpus only (Jazzer's regression mode, a second
 * or so): {@code src/test/resources/dev/parley/protocol/engineio/EngineCodecFuzzTestInputs/<method>/},
 * one file per input, its bytes exactly as on the wire (UTF-8); the spec's vectors and every
 * finding are there. To fuzz one target for five minutes (README "Fuzzing"):
 * <pre>
 * JAZZER_FUZZ=1 flock /tmp/parley-bench.lock mvn -o test -Dtest='EngineCodecFuzzTest#decodesAPayload' -Djazzer.max_duration=5m
 * </pre>
 * A finding fails the run and is written beside the corpus as {@code crash-<sha1>}: fix it, keep the
 * file in the corpus (renamed to say what it is) so every build replays it.
 */
class EngineCodecFuzzTest {

    /** A WebSocket text frame: an Engine.IO packet, or a {@link MalformedPacketException}. */
    @FuzzTest
    void decodesATextFrame(byte[] input) {
        String frame = new String(input, StandardCharsets.UTF_8);
        EnginePacket packet;
        try {
            packet = EngineCodec.decodeText(frame);
        } catch (MalformedPacketException refused) {
            return;
        }
        assertThat(packet.isBinary()).isFalse();
        assertThat(EngineCodec.encodeText(packet)).isEqualTo(frame);
        assertThat(WebSocketFrames.of(packet)).isEqualTo(WebSocketFrames.frame(1, frame.getBytes(StandardCharsets.UTF_8)));
    }

    /** A polling POST body: its packets, or a {@link MalformedPacketException}. */
    @FuzzTest
    void decodesAPayload(byte[] input) throws MalformedPacketException {
        String body = new String(input, StandardCharsets.UTF_8);
        List<EnginePacket> packets;
        try {
            packets = EngineCodec.decodePayload(body);
        } catch (MalformedPacketException refused) {
            return;
        }
        assertThat(packets).isNotEmpty().doesNotContainNull();
        // One packet per record, never more records than the body has separators plus one.
        assertThat(packets).hasSize((int) body.chars().filter(c -> c == EngineCodec.SEPARATOR).count() + 1);
        String encoded = EngineCodec.encodePayload(packets);
        assertThat(EngineCodec.decodePayload(encoded)).isEqualTo(packets);
        List<EncodedPacket> shared = packets.stream().map(EncodedPacket::of).toList();
        assertThat(EngineCodec.encodePayloadFrom(shared)).isEqualTo(encoded);
        assertThat(EngineCodec.encodePayloadBytes(shared)).isEqualTo(encoded.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Packets built by the fuzzer (any type, text without the record separator, any bytes) go
     * through a polling payload and WebSocket frames unchanged: decode(encode(x)) == x.
     */
    @FuzzTest
    void roundTripsPacketsItBuilds(FuzzedDataProvider data) throws MalformedPacketException {
        List<EnginePacket> packets = new ArrayList<>();
        int count = data.consumeInt(1, 8);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            packets.add(packet(data));
        }
        if (packets.isEmpty()) {
            return;
        }
        assertThat(EngineCodec.decodePayload(EngineCodec.encodePayload(packets))).isEqualTo(packets);
        for (EnginePacket p : packets) {
            byte[] frame = WebSocketFrames.of(p);
            byte[] payload = Arrays.copyOfRange(frame, WebSocketFrames.payloadOffset(frame), frame.length);
            assertThat(WebSocketFrames.isBinary(frame)).isEqualTo(p.isBinary());
            if (p.isBinary()) {
                assertThat(EngineCodec.decodeBinary(payload)).isEqualTo(p);
            } else {
                assertThat(EngineCodec.decodeText(new String(payload, StandardCharsets.UTF_8))).isEqualTo(p);
            }
            assertThat(EncodedPacket.of(p).webSocketFrame()).isEqualTo(frame);
        }
    }

    private static EnginePacket packet(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return EnginePacket.binary(data.consumeBytes(data.consumeInt(0, 300)));
        }
        EnginePacketType type = data.pickValue(EnginePacketType.values());
        // Valid UTF-16 only (a lone surrogate cannot be written as UTF-8) and no record separator,
        // which no encoder puts inside a packet (JSON escapes it).
        String text = data.consumeString(data.consumeInt(0, 300)).replace(EngineCodec.SEPARATOR, ' ');
        text = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        if (type == EnginePacketType.MESSAGE) {
            return EnginePacket.message(text);
        }
        // A packet of another type with empty text is written as the bare digit, which reads back
        // as the packet without text: build that one.
        return text.isEmpty() ? EnginePacket.of(type) : EnginePacket.of(type, text);
    }
}
