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

    /** The protocol error of a verdict, or {@code null}; an admission is given back at once. */
    private static EngineError errorOf(Verdict verdict) {
        verdict.release();
        return verdict instanceof Verdict.ProtocolError e ? e.error() : null;
    }

    private static EngineRequest withHeaders(String query, String address, Map<String, List<String>> headers) {
        return new EngineRequest("GET", "/socket.io/?" + query, EngineRequest.parseQuery(query), headers, address,
                false);
    }

    @Test
    void acceptsAValidPollingHandshake() {
        Verdict polling = engine.admit(get("EIO=4&transport=polling"), false);
        Verdict websocket = engine.admit(get("EIO=4&transport=websocket"), true);
        assertThat(polling).isInstanceOf(Verdict.Admitted.class);
        assertThat(websocket).isInstanceOf(Verdict.Admitted.class);
        assertThat(engine.admittedCount()).isEqualTo(2);
        polling.release();
        websocket.release();
        assertThat(engine.admittedCount()).isZero();
    }

    @Test
    void aRequestOfAnOpenSessionIsExistingAndTakesNoSlot() {
        EngineSession session = engine.handshake(get("EIO=4&transport=polling"), new RecordingTransport("polling", false));
        int admitted = engine.admittedCount();
        assertThat(engine.admit(get("EIO=4&transport=polling&sid=" + session.id()), false))
                .isEqualTo(new Verdict.Existing(session));
        assertThat(engine.admit(get("EIO=4&transport=websocket&sid=" + session.id()), true))
                .isEqualTo(new Verdict.Existing(session));
        assertThat(engine.admittedCount()).isEqualTo(admitted);
    }

    @Test
    void aSidFromAnotherAddressIsUnknownButAnAddressNotToldYetPasses() {
        EngineServer bound = new EngineServer(EngineOptions.builder().bindSessionToAddress(true).build());
        try {
            EngineSession session = bound.handshake(get("EIO=4&transport=polling"),
                    new RecordingTransport("polling", false));
            String query = "EIO=4&transport=websocket&sid=" + session.id();
            assertThat(bound.admit(withHeaders(query, "10.0.0.9", Map.of()), true))
                    .isEqualTo(new Verdict.ProtocolError(EngineError.UNKNOWN_SID));
            assertThat(bound.admit(withHeaders(query, null, Map.of()), true)).isEqualTo(new Verdict.Existing(session));
        } finally {
            bound.close();
        }
    }

    @Test
    void theOriginIsJudgedFirstThenTheProtocolThenTheLimits() {
        EngineServer strict = new EngineServer(EngineOptions.builder()
                .allowedOrigins(List.of("https://app.example")).maxConnections(1).build());
        try {
            Map<String, List<String>> foreign = Map.of("Origin", List.of("https://evil.example"),
                    "Host", List.of("parley.example"));
            // A bad transport from a foreign page: the origin answers, as it does for polling.
            Verdict v = strict.admit(withHeaders("EIO=3&transport=nope", "127.0.0.1", foreign), true);
            assertThat(v).isInstanceOf(Verdict.Refused.class);
            assertThat(v.httpStatus()).isEqualTo(403);
            assertThat(v.json()).isEqualTo("{\"code\":4,\"message\":\"Origin not allowed\"}");

            Map<String, List<String>> allowed = Map.of("Origin", List.of("https://app.example"),
                    "Host", List.of("parley.example"));
            Verdict first = strict.admit(withHeaders("EIO=4&transport=websocket", "127.0.0.1", allowed), true);
            assertThat(first).isInstanceOf(Verdict.Admitted.class);
            // The server is full, but a protocol error is still told as one (and takes nothing).
            assertThat(strict.admit(withHeaders("EIO=3&transport=websocket", "127.0.0.1", allowed), true))
                    .isEqualTo(new Verdict.ProtocolError(EngineError.UNSUPPORTED_PROTOCOL_VERSION));
            Verdict full = strict.admit(withHeaders("EIO=4&transport=websocket", "127.0.0.1", allowed), true);
            assertThat(full.httpStatus()).isEqualTo(503);
            assertThat(full.json()).isEqualTo("{\"code\":4,\"message\":\"server full, retry later\"}");
            assertThat(strict.admittedCount()).isEqualTo(1);
            first.release();
            first.release(); // idempotent
            assertThat(strict.admittedCount()).isZero();
        } finally {
            strict.close();
        }
    }

    @Test
    void aGuardRefusalGivesTheSlotBack() {
        engine.guard(request -> {
            throw new EngineRefusal(401, "not logged in");
        });
        Verdict v = engine.admit(get("EIO=4&transport=websocket"), true);
        assertThat(v).isInstanceOf(Verdict.Refused.class);
        assertThat(v.httpStatus()).isEqualTo(401);
        assertThat(v.json()).isEqualTo("{\"code\":4,\"message\":\"not logged in\"}");
        assertThat(v.allowed()).isFalse();
        assertThat(engine.admittedCount()).isZero();
    }

    @Test
    void refusesUnknownOrMissingTransport() {
        assertThat(errorOf(engine.admit(get("EIO=4"), false))).isEqualTo(EngineError.UNKNOWN_TRANSPORT);
        assertThat(errorOf(engine.admit(get("EIO=4&transport=abc"), false))).isEqualTo(EngineError.UNKNOWN_TRANSPORT);
    }

    @Test
    void refusesMissingOrOldProtocolVersion() {
        assertThat(errorOf(engine.admit(get("transport=polling"), false))).isEqualTo(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(errorOf(engine.admit(get("EIO=3&transport=polling"), false)))
                .isEqualTo(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(errorOf(engine.admit(get("EIO=abc&transport=polling"), false)))
                .isEqualTo(EngineError.UNSUPPORTED_PROTOCOL_VERSION);
    }

    @Test
    void refusesAHandshakeThatIsNotAGet() {
        assertThat(errorOf(engine.admit(request("POST", "EIO=4&transport=polling"), false)))
                .isEqualTo(EngineError.BAD_HANDSHAKE_METHOD);
        assertThat(errorOf(engine.admit(request("PUT", "EIO=4&transport=polling"), false)))
                .isEqualTo(EngineError.BAD_HANDSHAKE_METHOD);
    }

    @Test
    void refusesUnknownSid() {
        assertThat(errorOf(engine.admit(get("EIO=4&transport=polling&sid=nope"), false))).isEqualTo(EngineError.UNKNOWN_SID);
    }

    @Test
    void refusesATransportThatDoesNotMatchTheSession() {
        EngineSession session = engine.handshake(get("EIO=4&transport=websocket"),
                new RecordingTransport("websocket", true));
        assertThat(errorOf(engine.admit(get("EIO=4&transport=polling&sid=" + session.id()), false)))
                .isEqualTo(EngineError.BAD_REQUEST);
        // a websocket session cannot be "upgraded" again
        assertThat(errorOf(engine.admit(get("EIO=4&transport=websocket&sid=" + session.id()), true)))
                .isEqualTo(EngineError.BAD_REQUEST);
    }

    @Test
    void refusesATransportThatIsSwitchedOff() {
        EngineServer wsOnly = new EngineServer(EngineOptions.builder().transports(List.of("websocket")).build());
        try {
            assertThat(errorOf(wsOnly.admit(get("EIO=4&transport=polling"), false))).isEqualTo(EngineError.UNKNOWN_TRANSPORT);
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
