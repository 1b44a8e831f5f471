package dev.parley.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadValuesTest {

    @Test
    void encodesJavaValuesIntoJsonWithPlaceholdersForBinaries() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("bin", ByteBuffer.wrap(new byte[] {9}));
        nested.put("list", List.of(1, "x"));
        PayloadValues.Encoded enc = PayloadValues.encode("ev", new Object[] {null, "s", 1, 2L, 1.5, true,
                new BigDecimal("12345678901234567890.5"), new byte[] {1, 2}, nested});
        assertThat(enc.array().toString()).isEqualTo("[\"ev\",null,\"s\",1,2,1.5,true,12345678901234567890.5,"
                + "{\"_placeholder\":true,\"num\":0},{\"bin\":{\"_placeholder\":true,\"num\":1},\"list\":[1,\"x\"]}]");
        assertThat(enc.attachments()).hasSize(2);
        assertThat(enc.attachments().get(0)).containsExactly(1, 2);
        assertThat(enc.attachments().get(1)).containsExactly(9);
    }

    @Test
    void arraysMayHoldNulls() {
        assertThat(PayloadValues.encode("ev", new Object[] {new String[] {"a", null}, new Object[] {null}})
                .array().toString()).isEqualTo("[\"ev\",[\"a\",null],[null]]");
    }

    @Test
    void refusesValuesItCannotRepresent() {
        assertThatThrownBy(() -> PayloadValues.encode("ev", new Object[] {new Object()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot send a java.lang.Object");
    }

    @Test
    void decodesScalarsToJavaAndResolvesPlaceholders() throws Exception {
        SocketPacketDecoder decoder = new SocketPacketDecoder(4);
        decoder.decodeText("52-[\"ev\",1,1.5,\"s\",null,false,{\"_placeholder\":true,\"num\":0},"
                + "{\"a\":{\"_placeholder\":true,\"num\":1}},{\"plain\":1}]");
        decoder.decodeBinary(new byte[] {1});
        SocketPacket p = decoder.decodeBinary(new byte[] {2});
        Args args = new Args(PayloadValues.decode((jakarta.json.JsonArray) p.data(), 1, p.attachments()));
        assertThat(args.get(0)).isEqualTo(1L);
        assertThat(args.get(1)).isEqualTo(new BigDecimal("1.5"));
        assertThat(args.getString(2)).isEqualTo("s");
        assertThat(args.get(3)).isNull();
        assertThat(args.getBoolean(4)).isFalse();
        assertThat(args.getBytes(5)).containsExactly(1);
        assertThat(((Map<?, ?>) args.get(6)).get("a")).isEqualTo(new byte[] {2});
        assertThat(args.getJsonObject(7)).isInstanceOf(JsonObject.class);
        assertThat(args.getJson(7).toString()).isEqualTo("{\"plain\":1}");
        assertThatThrownBy(() -> args.getJson(6)).isInstanceOf(IllegalArgumentException.class);
    }
}
