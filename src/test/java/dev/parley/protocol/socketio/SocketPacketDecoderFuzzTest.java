package dev.parley.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.protocol.MalformedPacketException;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets (Jazzer) of the Socket.IO decoder with binary reassembly, as one connection's
 * {@link SocketPacketDecoder} sees it: a text packet, possibly announcing attachments, then binary
 * messages. The only outcome of bad input allowed is {@link MalformedPacketException}; anything else
 * thrown (or a hang) is a finding. Whatever decodes must encode back to the same packet, and every
 * placeholder of a whole packet must point exactly at one of its attachments.
 *
 * <p>Input format of {@link #decodesMessages} (so that the committed corpus reads as the wire does):
 * messages separated by the byte {@code 0x1E}; a message starting with {@code b} is a binary message
 * of the bytes after the {@code b}, any other a text message (UTF-8). E.g. the spec's
 * {@code 51-["hello",{"_placeholder":true,"num":0}]}, {@code 0x1E}, {@code b}, {@code 01 02 03}.
 *
 * <p>A plain {@code mvn test} replays the committed corpus only (Jazzer's regression mode):
 * {@code src/test/resources/dev/parley/protocol/socketio/SocketPacketDecoderFuzzTestInputs/<method>/}.
 * To fuzz one target for five minutes (README "Fuzzing"):
 * <pre>
 * JAZZER_FUZZ=1 flock /tmp/parley-bench.lock mvn -o test -Dtest='SocketPacketDecoderFuzzTest#decodesMessages' -Djazzer.max_duration=5m
 * </pre>
 */
class SocketPacketDecoderFuzzTest {

    /** As the server's default (ParleyOptions): 10 attachments a packet. */
    private static final int MAX_ATTACHMENTS = 10;
    private static final long MAX_ATTACHMENT_BYTES = 4096;

    /** A connection's messages in order: whole packets, or a {@link MalformedPacketException} that ends it. */
    @FuzzTest
    void decodesMessages(byte[] input) throws MalformedPacketException {
        SocketPacketDecoder decoder = new SocketPacketDecoder(MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES);
        for (byte[] message : split(input)) {
            SocketPacket packet;
            try {
                packet = message.length > 0 && message[0] == 'b'
                        ? decoder.decodeBinary(Arrays.copyOfRange(message, 1, message.length))
                        : decoder.decodeText(new String(message, StandardCharsets.UTF_8));
            } catch (MalformedPacketException refused) {
                return; // the server closes the connection here
            }
            if (packet != null) {
                checkWhole(packet);
                assertThat(decoder.awaitingAttachments()).isFalse();
            }
        }
    }

    /** Packets the fuzzer builds (valid by construction) decode to themselves after encoding. */
    @FuzzTest
    void roundTripsPacketsItBuilds(FuzzedDataProvider data) throws MalformedPacketException {
        SocketPacket built = packet(data);
        SocketPacket decoded = decode(new SocketPacketDecoder(MAX_ATTACHMENTS), built);
        assertSame(decoded, built);
    }

    // ---------------------------------------------------------------- invariants

    private static void checkWhole(SocketPacket packet) throws MalformedPacketException {
        assertThat(packet.namespace()).isNotEmpty();
        assertThat(packet.attachments().size()).isLessThanOrEqualTo(MAX_ATTACHMENTS);
        assertThat(packet.attachments().stream().mapToLong(a -> a.length).sum())
                .isLessThanOrEqualTo(MAX_ATTACHMENT_BYTES);
        if (packet.type().isBinary()) {
            assertThat(packet.attachments()).isNotEmpty();
            checkPlaceholders(packet.data(), packet.attachments().size());
        } else {
            assertThat(packet.attachments()).isEmpty();
        }
        // What the server does with an event's or ack's data: resolve its placeholders.
        if (packet.data() instanceof JsonArray array) {
            List<Object> values = PayloadValues.decode(array, 0, packet.attachments());
            assertThat(values).hasSize(array.size());
        }
        assertSame(decode(new SocketPacketDecoder(MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES), packet), packet);
    }

    /** Every placeholder names an attachment by its exact index (not an int that wrapped around). */
    private static void checkPlaceholders(JsonValue v, int attachments) {
        if (v instanceof JsonObject o) {
            if (o.containsKey("_placeholder")) {
                assertThat(Placeholders.isPlaceholder(o)).as("placeholder %s", o).isTrue();
                BigDecimal num = ((JsonNumber) o.get("num")).bigDecimalValue();
                assertThat(num).as("placeholder %s of %s attachments", o, attachments)
                        .isBetween(BigDecimal.ZERO, BigDecimal.valueOf(attachments - 1L));
                return;
            }
            o.values().forEach(c -> checkPlaceholders(c, attachments));
        } else if (v instanceof JsonArray a) {
            a.forEach(c -> checkPlaceholders(c, attachments));
        }
    }

    /** The packet sent as the server would send it, read by a fresh decoder. */
    private static SocketPacket decode(SocketPacketDecoder decoder, SocketPacket packet)
            throws MalformedPacketException {
        SocketPacket whole = decoder.decodeText(SocketPacketEncoder.encode(packet));
        for (byte[] attachment : packet.attachments()) {
            assertThat(whole).isNull();
            whole = decoder.decodeBinary(attachment);
        }
        assertThat(whole).isNotNull();
        return whole;
    }

    private static void assertSame(SocketPacket actual, SocketPacket expected) {
        assertThat(actual.type()).isEqualTo(expected.type());
        assertThat(actual.namespace()).isEqualTo(expected.namespace());
        assertThat(actual.ackId()).isEqualTo(expected.ackId());
        assertThat(actual.data()).isEqualTo(expected.data());
        assertThat(actual.attachments()).hasSameSizeAs(expected.attachments());
        for (int i = 0; i < expected.attachments().size(); i++) {
            assertThat(actual.attachments().get(i)).isEqualTo(expected.attachments().get(i));
        }
    }

    private static List<byte[]> split(byte[] input) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == 0x1E) {
                out.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- packets the fuzzer builds

    private static SocketPacket packet(FuzzedDataProvider data) {
        SocketPacketType type = data.pickValue(SocketPacketType.values());
        String namespace = data.consumeBoolean() ? "/" : "/" + data.consumeString(20).replace(",", "");
        long ackId = data.consumeBoolean() || type == SocketPacketType.ACK || type == SocketPacketType.BINARY_ACK
                ? data.consumeLong(0, Long.MAX_VALUE) : SocketPacket.NO_ACK;
        List<byte[]> attachments = new ArrayList<>();
        if (type.isBinary()) {
            int n = data.consumeInt(1, MAX_ATTACHMENTS);
            for (int i = 0; i < n; i++) {
                attachments.add(data.consumeBytes(data.consumeInt(0, 64)));
            }
        }
        JsonValue payload = switch (type) {
            case CONNECT -> data.consumeBoolean() ? null : object(data, 2);
            case DISCONNECT -> null;
            case CONNECT_ERROR -> data.consumeBoolean() ? Jsonp.PROVIDER.createValue(data.consumeString(40))
                    : object(data, 2);
            case EVENT, BINARY_EVENT, ACK, BINARY_ACK -> args(data, type, attachments.size());
        };
        if (type == SocketPacketType.CONNECT || type == SocketPacketType.DISCONNECT
                || type == SocketPacketType.CONNECT_ERROR) {
            ackId = data.consumeBoolean() ? ackId : SocketPacket.NO_ACK;
        }
        return new SocketPacket(type, namespace, ackId, payload, attachments);
    }

    private static JsonArray args(FuzzedDataProvider data, SocketPacketType type, int attachments) {
        JsonArrayBuilder b = Jsonp.PROVIDER.createArrayBuilder();
        boolean event = type == SocketPacketType.EVENT || type == SocketPacketType.BINARY_EVENT;
        if (event) {
            String name = data.consumeString(20);
            b.add(SocketPacket.RESERVED_EVENTS.contains(name) ? name + "!" : name);
        }
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            b.add(value(data, 3));
        }
        for (int i = 0; i < attachments; i++) {
            b.add(Placeholders.placeholder(i));
        }
        return b.build();
    }

    private static JsonValue value(FuzzedDataProvider data, int depth) {
        int kind = data.consumeInt(0, depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> JsonValue.NULL;
            case 1 -> data.consumeBoolean() ? JsonValue.TRUE : JsonValue.FALSE;
            case 2 -> Jsonp.PROVIDER.createValue(data.consumeLong());
            case 3 -> Jsonp.PROVIDER.createValue(finite(data.consumeDouble()));
            case 4, 5 -> Jsonp.PROVIDER.createValue(data.consumeString(40));
            case 6 -> object(data, depth - 1);
            default -> {
                JsonArrayBuilder b = Jsonp.PROVIDER.createArrayBuilder();
                int n = data.consumeInt(0, 4);
                for (int i = 0; i < n; i++) {
                    b.add(value(data, depth - 1));
                }
                yield b.build();
            }
        };
    }

    private static JsonObject object(FuzzedDataProvider data, int depth) {
        JsonObjectBuilder b = Jsonp.PROVIDER.createObjectBuilder();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            String key = data.consumeString(12);
            b.add("_placeholder".equals(key) ? "placeholder" : key, value(data, Math.max(0, depth)));
        }
        return b.build();
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0.0;
    }
}
