package dev.parley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineServerTest {

    private final EngineServer engine = new EngineServer(EngineOptions.defaults());

    @AfterEach
    void close() {
        engine.close();
    }

    private static EngineRequest get(String query) {
        return request("GET", query);
    }

    private static EngineRequest request(String method, String query) {
        return new EngineRequest(method, "/socket.io/?" + query, EngineRequest.parseQuery(query), Map.of(),
                "127.0.0.1", false);
    }

    @Test
    void acceptsAValidPollingHandshake() {
        assertThat(engine.verify(get("EIO=4&transport=polling"), false)).isNull();
        assertThat(engine.verify(get("EIO=4&transport=websocket"), true)).isNull();
    }

    @Test
    void refusesUnknownOrMissingTransport() {
        assertThat(engine.verify(get("EIO=4"), false)).isEqualTo(EngineError.UNKNOWN_TRANSPORT);
        assertThat(engine.verify(get("EIO=4&transport=abc"), false)).isEqualTo(EngineError.UNKNOWN_TRANSPORT);
    }

    @Test
    void refusesMissingOrOldProtocolVersion() {
        assertThat(engine.verify(get("transport=polling"), false)).isEqualTo(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(engine.verify(get("EIO=3&transport=polling"), false))
                .isEqualTo(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(engine.verify(get("EIO=abc&transport=polling"), false))
                .isEqualTo(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
    }

    @Test
    void refusesAHandshakeThatIsNotAGet() {
        assertThat(engine.verify(request("POST", "EIO=4&transport=polling"), false))
                .isEqualTo(EngineError.BAD_HANDSHAKE_METHOD);
        assertThat(engine.verify(request("PUT", "EIO=4&transport=polling"), false))
                .isEqualTo(EngineError.BAD_HANDSHAKE_METHOD);
    }

    @Test
    void refusesUnknownSid() {
        assertThat(engine.verify(get("EIO=4&transport=polling&sid=nope"), false)).isEqualTo(EngineError.UNKNOWN_SID);
    }

    @Test
    void refusesATransportThatDoesNotMatchTheSession() {
        EngineSession session = engine.handshake(get("EIO=4&transport=websocket"),
                new RecordingTransport("websocket", true));
        assertThat(engine.verify(get("EIO=4&transport=polling&sid=" + session.id()), false))
                .isEqualTo(EngineError.BAD_REQUEST);
        // a websocket session cannot be "upgraded" again
        assertThat(engine.verify(get("EIO=4&transport=websocket&sid=" + session.id()), true))
                .isEqualTo(EngineError.BAD_REQUEST);
    }

    @Test
    void refusesATransportThatIsSwitchedOff() {
        EngineServer wsOnly = new EngineServer(EngineOptions.builder().transports(List.of("websocket")).build());
        try {
            assertThat(wsOnly.verify(get("EIO=4&transport=polling"), false)).isEqualTo(EngineError.UNKNOWN_TRANSPORT);
        } finally {
            wsOnly.close();
        }
    }

    @Test
    void errorsAreTheReferenceJson() {
        assertThat(EngineError.UNKNOWN_SID.json()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        assertThat(EngineError.UNKNOWN_TRANSPORT.json()).isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
    }

    @Test
    void sidsAreUniqueAnd128BitsOrMore() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            EngineSession s = engine.handshake(get("EIO=4&transport=websocket"),
                    new RecordingTransport("websocket", true));
            // 22 base64url characters carry 132 bits; 16 random bytes are behind them
            assertThat(s.id()).hasSize(22).matches("[A-Za-z0-9_-]+");
            ids.add(s.id());
        }
        assertThat(ids).hasSize(1000);
        assertThat(engine.sessionCount()).isEqualTo(1000);
    }

    @Test
    void parsesQueryStrings() {
        assertThat(EngineRequest.parseQuery("a=1&b=%20x&a=2&flag&c=%zz"))
                .containsEntry("a", "1").containsEntry("b", " x").containsEntry("flag", "").containsEntry("c", "%zz");
    }
}
