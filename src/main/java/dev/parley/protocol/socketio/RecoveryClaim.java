package dev.parley.protocol.socketio;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Optional;

/**
 * What a reconnecting socket.io-client puts in its namespace CONNECT to get its session back
 * (connection state recovery): {@code {"pid": "...", "offset": "...", ...auth}}, the private session
 * id of the server's last CONNECT reply and the offset of the last event it processed. {@code offset}
 * is {@code null} when the client got no event with an offset before it lost the connection.
 */
public record RecoveryClaim(String pid, String offset) {

    /**
     * The claim in a CONNECT's data, if it has a string {@code pid}; a non-string {@code offset}
     * counts as none.
     */
    public static Optional<RecoveryClaim> in(JsonValue connectData) {
        if (!(connectData instanceof JsonObject o) || !(o.get("pid") instanceof JsonString pid)) {
            return Optional.empty();
        }
        String offset = o.get("offset") instanceof JsonString s ? s.getString() : null;
        return Optional.of(new RecoveryClaim(pid.getString(), offset));
    }
}
