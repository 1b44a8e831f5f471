package dev.parley.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What an {@link EngineRequest} keeps of its query and headers: same contents, smaller, shared where they repeat. */
class EngineRequestTest {

    private static Map<String, List<String>> upgradeHeaders(String key) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Host", List.of("127.0.0.1:3000"));
        h.put("Upgrade", List.of("websocket"));
        h.put("Connection", List.of("Upgrade"));
        h.put("Sec-WebSocket-Key", List.of(key));
        h.put("Sec-WebSocket-Version", List.of("13"));
        h.put("Accept", List.of("a", "b"));
        return h;
    }

    private static EngineRequest upgrade(String key, String rawQuery) {
        return new EngineRequest("get", "/socket.io/?" + rawQuery, EngineRequest.parseQuery(rawQuery),
                upgradeHeaders(new String(key.toCharArray())), new String("127.0.0.1".toCharArray()), false);
    }

    @Test
    void headersAreFoundWhateverTheirCaseAndIterateSortedByName() {
        EngineRequest r = upgrade("k1", "EIO=4&transport=websocket");
        assertEquals("websocket", r.header("upgrade"));
        assertEquals("websocket", r.header("UPGRADE"));
        assertEquals(List.of("a", "b"), r.headers().get("accept"));
        assertTrue(r.headers().containsKey("sec-websocket-key"));
        assertNull(r.header("Cookie"));
        assertEquals(List.of("Accept", "Connection", "Host", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Upgrade"),
                new ArrayList<>(r.headers().keySet()));
        TreeMap<String, List<String>> expected = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        expected.putAll(upgradeHeaders("k1"));
        assertEquals(expected, r.headers());
        assertEquals(r.headers(), expected);
        assertEquals(expected.hashCode(), r.headers().hashCode());
        assertEquals("GET", r.method());
    }

    @Test
    void theQueryKeepsItsOrderAndIsImmutable() {
        EngineRequest r = upgrade("k1", "z=1&EIO=4&a=%20x&transport=websocket&z=2");
        assertEquals(List.of("z", "EIO", "a", "transport"), new ArrayList<>(r.query().keySet()));
        assertEquals(" x", r.queryParam("a"));
        assertEquals("1", r.queryParam("z"));
        assertNull(r.queryParam("Z"));
        assertThrows(UnsupportedOperationException.class, () -> r.query().put("b", "2"));
        assertThrows(UnsupportedOperationException.class, () -> r.headers().remove("Host"));
        assertThrows(UnsupportedOperationException.class, () -> r.headers().get("Accept").add("c"));
    }

    @Test
    void repeatingStringsAreSharedBetweenRequestsAndPerClientOnesAreNot() {
        EngineRequest a = upgrade("key-a", "EIO=4&transport=websocket");
        EngineRequest b = upgrade("key-a", "EIO=4&transport=websocket");
        assertSame(a.headers().get("Upgrade"), b.headers().get("Upgrade"));
        assertSame(a.header("Host"), b.header("Host"));
        assertSame(a.remoteAddress(), b.remoteAddress());
        assertSame(a.queryParam("transport"), b.queryParam("transport"));
        assertSame(a.query().keySet().iterator().next(), b.query().keySet().iterator().next());
        // a WebSocket key (like a cookie, a token or a session id) is the client's own: not kept in the shared table
        assertNotSame(a.header("Sec-WebSocket-Key"), b.header("Sec-WebSocket-Key"));
    }

    @Test
    void manyParametersOrHeadersStillWork() {
        StringBuilder raw = new StringBuilder("EIO=4");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            raw.append("&p").append(i).append('=').append(i);
            headers.put("X-H" + i, List.of(String.valueOf(i)));
        }
        EngineRequest r = new EngineRequest("GET", "/?" + raw, EngineRequest.parseQuery(raw.toString()), headers,
                null, false);
        assertEquals(101, r.query().size());
        assertEquals("99", r.queryParam("p99"));
        assertEquals("42", r.header("x-h42"));
        assertThrows(UnsupportedOperationException.class, () -> r.query().put("b", "2"));
        assertThrows(UnsupportedOperationException.class, () -> r.headers().put("b", List.of()));
        EngineRequest moved = r.withRemoteAddress("10.0.0.1");
        assertEquals(r.headers(), moved.headers());
        assertEquals(r.query(), moved.query());
        assertEquals("10.0.0.1", moved.remoteAddress());
    }
}
