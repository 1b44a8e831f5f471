package dev.parley.adapter.redis;

import dev.parley.protocol.socketio.Jsonp;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Objects;

/**
 * One message of the cluster protocol: the sender's {@code uid}, the namespace, the type and its
 * {@code data} (null for heartbeats), JSON with binary placeholders that point into
 * {@code attachments}. Immutable.
 */
public record ClusterMessage(String uid, String nsp, ClusterMessageType type, JsonObject data,
                             List<byte[]> attachments) {

    public ClusterMessage {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(nsp, "nsp");
        Objects.requireNonNull(type, "type");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** Whether something in the data is binary. */
    public boolean hasBinary() {
        return !attachments.isEmpty();
    }

    /** The message as the official adapters write it whole: {@code {uid, nsp, type, data}}. */
    public JsonObject toJsonObject() {
        var b = Jsonp.PROVIDER.createObjectBuilder().add("uid", uid).add("nsp", nsp).add("type", type.code());
        if (data != null) {
            b.add("data", data);
        }
        return b.build();
    }

    /**
     * A message read whole from {@code {uid, nsp, type, data}}.
     *
     * @throws IllegalArgumentException when a field is missing or of the wrong kind, or the type unknown
     */
    public static ClusterMessage fromJsonObject(JsonValue value, List<byte[]> attachments) {
        if (!(value instanceof JsonObject o) || !(o.get("uid") instanceof JsonString uid)
                || !(o.get("nsp") instanceof JsonString nsp)) {
            throw new IllegalArgumentException("not a cluster message (uid, nsp)");
        }
        int code;
        if (o.get("type") instanceof JsonNumber n) {
            code = n.intValue();
        } else if (o.get("type") instanceof JsonString s) {
            code = parseCode(s.getString());
        } else {
            throw new IllegalArgumentException("a cluster message without type");
        }
        return of(uid.getString(), nsp.getString(), code, o.get("data"), attachments);
    }

    /** A message from its parts; {@code data} must be an object or absent. */
    static ClusterMessage of(String uid, String nsp, int code, JsonValue data, List<byte[]> attachments) {
        ClusterMessageType type = ClusterMessageType.of(code);
        if (type == null) {
            throw new IllegalArgumentException("unknown cluster message type " + code);
        }
        if (data != null && data != JsonValue.NULL && !(data instanceof JsonObject)) {
            throw new IllegalArgumentException("cluster message data is not an object");
        }
        return new ClusterMessage(uid, nsp, type, data instanceof JsonObject d ? d : null, attachments);
    }

    static int parseCode(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cluster message type is not a number: " + text);
        }
    }
}
