package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.engine.EngineCloseReason;
import org.junit.jupiter.api.Test;

class DisconnectReasonTest {

    /** A connection's close reaches each of its sockets with the reference server's same string. */
    @Test
    void everyConnectionReasonIsASocketReasonWithTheSameString() {
        for (EngineCloseReason engine : EngineCloseReason.values()) {
            assertThat(DisconnectReason.of(engine).wire()).as(engine.name()).isEqualTo(engine.wire());
        }
        assertThat(DisconnectReason.SERVER_NAMESPACE_DISCONNECT.wire()).isEqualTo("server namespace disconnect");
        assertThat(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT.wire()).isEqualTo("client namespace disconnect");
        assertThat(DisconnectReason.FORCED_SERVER_CLOSE.wire()).isEqualTo("forced server close");
        assertThat(DisconnectReason.PING_TIMEOUT.toString()).isEqualTo("ping timeout");
    }
}
