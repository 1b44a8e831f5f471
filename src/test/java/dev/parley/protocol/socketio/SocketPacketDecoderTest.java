package dev.parley.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.MalformedPacketException;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vectors from the Socket.IO v5 protocol document and the reference parser's validation rules. */
class SocketPacketDecoderTest {

    private final SocketPacketDecoder decoder = new SocketPacketDecoder(10);

    @Test
    void decodesConnectToTheMainAndACustomNamespace() throws Exception {
        SocketPacket main = decoder.decodeText("0");
        assertThat(main.type()).isEqualTo(SocketPacketType.CONNECT);
        assertThat(main.namespace()).isEqualTo("/");
        assertThat(main.data()).isNull();

        SocketPacket admin = decoder.decodeText("0/admin,{\"token\":\"123\"}");
        assertThat(admin.namespace()).isEqualTo("/admin");
        assertThat(((JsonObject) admin.data()).getString("token")).isEqualTo("123");

        SocketPacket noComma = decoder.decodeText("40/custom".substring(1));
        assertThat(noComma.namespace()).isEqualTo("/custom");
        assertThat(noComma.data()).isNull();
    }

    @Test
    void decodesEventsWithNamespaceAndAckId() throws Exception {
        SocketPacket p = decoder.decodeText("2/admin,456[\"project:delete\",123]");
        assertThat(p.type()).isEqualTo(SocketPacketType.EVENT);
        assertThat(p.namespace()).isEqualTo("/admin");
        assertThat(p.ackId()).isEqualTo(456);
        assertThat(p.hasAck()).isTrue();
        assertThat(p.data().toString()).isEqualTo("[\"project:delete\",123]");

        SocketPacket plain = decoder.decodeText("2[\"hello\",1]");
        assertThat(plain.hasAck()).isFalse();
        assertThat(plain.namespace()).isEqualTo("/");
    }

    @Test
    void decodesAcksAndDisconnects() throws Exception {
        SocketPacket ack = decoder.decodeText("3/admin,456[]");
        assertThat(ack.type()).isEqualTo(SocketPacketType.ACK);
        assertThat(ack.ackId()).isEqualTo(456);
        assertThat((JsonArray) ack.data()).isEmpty();
        assertThat(decoder.decodeText("1/admin,").type()).isEqualTo(SocketPacketType.DISCONNECT);
        assertThat(decoder.decodeText("1").namespace()).isEqualTo("/");
        assertThat(decoder.decodeText("4{\"message\":\"Not authorized\"}").type())
                .isEqualTo(SocketPacketType.CONNECT_ERROR);
    }

    @Test
    void reassemblesABinaryEventFromTextAndAttachments() throws Exception {
        assertThat(decoder.decodeText(
                "52-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")).isNull();
        assertThat(decoder.awaitingAttachments()).isTrue();
        assertThat(decoder.decodeBinary(new byte[] {1, 2, 3})).isNull();
        SocketPacket p = decoder.decodeBinary(new byte[] {4, 5, 6});
        assertThat(p.type()).isEqualTo(SocketPacketType.BINARY_EVENT);
        assertThat(p.attachments()).hasSize(2);
        assertThat(p.attachments().get(0)).containsExactly(1, 2, 3);
        assertThat(p.attachments().get(1)).containsExactly(4, 5, 6);
        assertThat(decoder.awaitingAttachments()).isFalse();
    }

    @Test
    void reassemblesABinaryAckWithNamespaceAndId() throws Exception {
        assertThat(decoder.decodeText("61-/admin,456[{\"_placeholder\":true,\"num\":0}]")).isNull();
        SocketPacket p = decoder.decodeBinary(new byte[] {3, 2, 1});
        assertThat(p.type()).isEqualTo(SocketPacketType.BINARY_ACK);
        assertThat(p.namespace()).isEqualTo("/admin");
        assertThat(p.ackId()).isEqualTo(456);
        assertThat(p.attachments().get(0)).containsExactly(3, 2, 1);
    }

    @Test
    void refusesTextWhileAttachmentsArePendingAndBinaryNobodyAnnounced() throws Exception {
        assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {1})).isInstanceOf(MalformedPacketException.class);
        decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        assertThatThrownBy(() -> decoder.decodeText("2[\"b\"]")).isInstanceOf(MalformedPacketException.class);
        decoder.reset();
        assertThat(decoder.decodeText("2[\"b\"]").type()).isEqualTo(SocketPacketType.EVENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "7", "2{}", "2abc[\"message-with-ack\",1]", "2[]", "0[]", "0\"x\"",
            "1{}", "3[1]", "4[]", "5-[\"a\"]", "50-[\"a\"]", "5x-[\"a\"]", "5[\"a\"]", "2[\"a\"]x", "2[\"a\"",
            "21234567890123456789012[\"a\"]", "2[true]", "2[null]", "2[{}]", "3/admin,{}",
            "51-[\"a\",{\"_placeholder\":true,\"num\":1}]", "51-[\"a\",{\"_placeholder\":true,\"num\":-1}]",
            "51-[\"a\",{\"_placeholder\":\"yes\",\"num\":0}]", "511-[\"a\"]", "2[\"n\",1e999999999999]",
            // found fuzzing (SocketPacketDecoderFuzzTest): an index past int read as the int it wraps to (2^32 as 0)
            "51-[\"a\",{\"_placeholder\":true,\"num\":4294967296}]",
            "52-[\"a\",{\"_placeholder\":true,\"num\":18446744073709551617}]"})
    void refusesMalformedPackets(String packet) {
        assertThatThrownBy(() -> decoder.decodeText(packet)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void randomInputRaisesOnlyTheTypedError() {
        // Mutations of valid packets, from a fixed seed: whatever comes in, nothing but
        // MalformedPacketException may come out.
        String[] seeds = {"2[\"a\",1,{\"b\":[true,null]}]", "451-/x,9[\"e\",{\"_placeholder\":true,\"num\":0}]",
                "0/admin,{\"token\":\"x\"}", "3/admin,456[]", "2[\"n\",1e999999999999]", "2[\"n\",-]"};
        String alphabet = "0123456789-,/[]{}\":.eE+ ab_\\\u00e9";
        java.util.Random random = new java.util.Random(42);
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            for (int m = random.nextInt(4); m >= 0 && sb.length() > 0; m--) {
                int at = random.nextInt(sb.length());
                switch (random.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            SocketPacketDecoder fresh = new SocketPacketDecoder(10);
            try {
                fresh.decodeText(sb.toString());
                decoded++;
            } catch (MalformedPacketException expected) {
                // the only acceptable failure
            } catch (RuntimeException e) {
                throw new AssertionError("'" + sb + "' raised " + e, e);
            }
        }
        assertThat(decoded).as("some mutations are still valid packets").isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
    void reservedEventNamesAreMalformedAsInTheReferenceParser(String name) throws Exception {
        assertThatThrownBy(() -> decoder.decodeText("2[\"" + name + "\"]"))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("reserved event name");
        assertThatThrownBy(() -> decoder.decodeText("51-[\"" + name + "\",{\"_placeholder\":true,\"num\":0}]"))
                .isInstanceOf(MalformedPacketException.class);
        assertThat(decoder.decodeText("2[\"x\",\"" + name + "\"]").type()).isEqualTo(SocketPacketType.EVENT);
    }

    @Test
    void ackIdsAreWholeSigned64BitNumbersOfAnyLength() throws Exception {
        assertThat(decoder.decodeText("21234567890123456789[\"a\"]").ackId()).isEqualTo(1234567890123456789L);
        assertThat(decoder.decodeText("29223372036854775807[\"a\"]").ackId()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoder.decodeText("2000000000000000000000007[\"a\"]").ackId()).isEqualTo(7);
        assertThat(decoder.decodeText("3/admin,9223372036854775807[]").ackId()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> decoder.decodeText("29223372036854775808[\"a\"]"))
                .isInstanceOf(MalformedPacketException.class).hasMessage("ack id larger than 9223372036854775807");
        assertThatThrownBy(() -> decoder.decodeText("299999999999999999999[\"a\"]"))
                .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void payloadsNestThousandLevelsBelowTheirOwnValueAndNoDeeper() throws Exception {
        String ok = "2[\"message\"," + "[".repeat(1000) + "]".repeat(1000) + "]";
        assertThat(decoder.decodeText(ok).data().toString()).isEqualTo(ok.substring(1));
        String deep = "2[\"message\"," + "[".repeat(1001) + "]".repeat(1001) + "]";
        assertThatThrownBy(() -> decoder.decodeText(deep)).isInstanceOf(MalformedPacketException.class)
                .hasMessage("invalid JSON payload: nested deeper than 1001 levels");

        String connectOk = "0{" + "\"a\":{".repeat(1000) + "}".repeat(1000) + "}";
        assertThat(decoder.decodeText(connectOk).type()).isEqualTo(SocketPacketType.CONNECT);
        String connectDeep = "0{" + "\"a\":{".repeat(1001) + "}".repeat(1001) + "}";
        assertThatThrownBy(() -> decoder.decodeText(connectDeep)).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> decoder.decodeText("2[\"m\"," + "[".repeat(100_000)))
                .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void attachmentsAreBoundedInCountAndInBytes() throws Exception {
        String eleven = "511-[\"a\"" + ",{\"_placeholder\":true,\"num\":0}".repeat(11) + "]";
        assertThatThrownBy(() -> decoder.decodeText(eleven)).isInstanceOf(MalformedPacketException.class)
                .hasMessageContaining("out of range 1..10");
        String ten = "510-[\"a\"" + ",{\"_placeholder\":true,\"num\":0}".repeat(10) + "]";
        assertThat(decoder.decodeText(ten)).isNull();
        decoder.reset();

        SocketPacketDecoder small = new SocketPacketDecoder(10, 100);
        assertThat(small.decodeText("52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"))
                .isNull();
        assertThat(small.decodeBinary(new byte[60])).isNull();
        assertThatThrownBy(() -> small.decodeBinary(new byte[41])).isInstanceOf(MalformedPacketException.class)
                .hasMessage("binary attachments larger than 100 bytes");
        assertThat(small.awaitingAttachments()).as("the partial packet is dropped").isFalse();
        assertThat(small.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]")).isNull();
        assertThat(small.decodeBinary(new byte[100]).attachments()).hasSize(1);
    }

    @Test
    void eventNamesMayBeNumbersAsInTheReferenceParser() throws Exception {
        assertThat(decoder.decodeText("2[1,\"x\"]").type()).isEqualTo(SocketPacketType.EVENT);
    }

    @Test
    void everyEncodedVectorDecodesBackToItself() throws Exception {
        for (String vector : new String[] {"0", "0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", "1/admin,",
                "2[\"hello\",1]", "2/admin,456[\"project:delete\",123]", "3/admin,456[]",
                "4{\"message\":\"Not authorized\"}", "2[\"n\",1,1.5,{\"a\":[true,null]},\"\\u00e9\"]"}) {
            assertThat(SocketPacketEncoder.encode(decoder.decodeText(vector))).isEqualTo(vector.replace("\\u00e9", "é"));
        }
        assertThat(decoder.decodeText("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]")).isNull();
        SocketPacket binary = decoder.decodeBinary(new byte[] {7});
        assertThat(SocketPacketEncoder.encode(binary)).isEqualTo("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]");
    }

    @Test
    void parseWholeKeepsNoStateEvenForABinaryPacket() throws Exception {
        SocketPacket event = decoder.parseWhole("2[\"hello\",1]");
        assertThat(event.type()).isEqualTo(SocketPacketType.EVENT);

        SocketPacket announced = decoder.parseWhole("51-[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(announced.type()).isEqualTo(SocketPacketType.BINARY_EVENT);
        assertThat(announced.attachments()).isEmpty();
        assertThat(decoder.awaitingAttachments()).isFalse();
        assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {1}))
                .isInstanceOf(MalformedPacketException.class).hasMessageContaining("no packet announced");
        // Still validated as strictly as decodeText.
        assertThatThrownBy(() -> decoder.parseWhole("511-[\"upload\"]")).isInstanceOf(MalformedPacketException.class);
        // And the decoder's own state still works afterwards.
        assertThat(decoder.decodeText("51-[\"upload\",{\"_placeholder\":true,\"num\":0}]")).isNull();
        assertThat(decoder.decodeBinary(new byte[] {7}).attachments()).hasSize(1);
    }
}
