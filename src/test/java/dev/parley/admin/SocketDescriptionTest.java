package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.Handshake;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SocketDescriptionTest {

    private static JsonObject handshake(Map<String, List<String>> headers) {
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        return new Handshake(h, "10.0.0.7", true, false, 1_700_000_000_123L, "/socket.io/?EIO=4&transport=polling",
                Map.of("EIO", "4"), Json.createObjectBuilder().add("token", "secret").build()).toJson();
    }

    @Test
    void theReferenceFieldsWithoutTheAuthPayload() {
        JsonObject d = SocketDescription.of("s1", "abcdefghijklmnopqrst", "polling", "/chat",
                Json.createObjectBuilder().add("user", "ann").build(),
                handshake(Map.of("Host", List.of("example.test"))), List.of("s1", "lobby"));
        assertThat(d.keySet()).containsExactly("id", "clientId", "transport", "nsp", "data", "handshake", "rooms");
        assertThat(d.getString("clientId")).isEqualTo("abcdefghijkl");
        assertThat(d.getString("transport")).isEqualTo("polling");
        assertThat(d.getJsonObject("data").toString()).isEqualTo("{\"user\":\"ann\"}");
        assertThat(d.getJsonArray("rooms").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("s1", "lobby");
        JsonObject h = d.getJsonObject("handshake");
        assertThat(h.keySet()).containsExactlyInAnyOrder("address", "headers", "query", "issued", "secure", "time",
                "url", "xdomain");
        assertThat(h.getString("address")).isEqualTo("10.0.0.7");
        assertThat(h.getJsonObject("headers").getString("host")).isEqualTo("example.test");
        assertThat(h.getJsonNumber("issued").longValue()).isEqualTo(1_700_000_000_123L);
        assertThat(h.getBoolean("xdomain")).isTrue();
        assertThat(h.getString("url")).isEqualTo("/socket.io/?EIO=4&transport=polling");
        assertThat(h.getJsonObject("query").getString("EIO")).isEqualTo("4");
    }

    @Test
    void theAddressComesFromCloudflareThenTheForwardedForHeaderThenThePeer() {
        Map<String, List<String>> both = new LinkedHashMap<>();
        both.put("CF-Connecting-IP", List.of("1.1.1.1"));
        both.put("X-Forwarded-For", List.of("2.2.2.2"));
        assertThat(SocketDescription.of("s", "c", "websocket", "/", JsonObject.EMPTY_JSON_OBJECT, handshake(both),
                List.of()).getJsonObject("handshake").getString("address")).isEqualTo("1.1.1.1");
        assertThat(SocketDescription.of("s", "c", "websocket", "/", JsonObject.EMPTY_JSON_OBJECT,
                handshake(Map.of("X-Forwarded-For", List.of("2.2.2.2"))), List.of())
                .getJsonObject("handshake").getString("address")).isEqualTo("2.2.2.2");
    }

    @Test
    void dataThatJsonCannotCarryIsLeftOut() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("n", 3);
        data.put("bytes", new byte[] {1, 2});
        data.put("list", List.of("a"));
        assertThat(dev.parley.server.Socket.dataAsJson(data).toString()).isEqualTo("{\"n\":3,\"list\":[\"a\"]}");
    }
}
