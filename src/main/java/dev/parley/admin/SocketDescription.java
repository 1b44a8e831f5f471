package dev.parley.admin;

import dev.parley.server.Socket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.List;

/**
 * A socket as the Admin UI lists it (the reference's {@code SerializedSocket}): {@code id},
 * {@code clientId} (the first 12 characters of the Engine.IO id), {@code transport}, {@code nsp},
 * {@code data}, {@code handshake} ({@code address} — from {@code cf-connecting-ip}, else
 * {@code x-forwarded-for}, else the peer —, {@code headers}, {@code query}, {@code issued},
 * {@code secure}, {@code time}, {@code url}, {@code xdomain}; never {@code auth}) and {@code rooms}.
 */
public final class SocketDescription {

    private SocketDescription() {
    }

    /** The description of a local socket. */
    public static JsonObject of(Socket socket) {
        return of(socket.id(), socket.connectionId(), socket.transport(), socket.namespace().name(),
                socket.dataAsJson(), socket.handshake().toJson(), socket.rooms());
    }

    /**
     * The description from its parts.
     *
     * @param handshake as {@link dev.parley.server.Handshake#toJson()} writes it
     */
    public static JsonObject of(String id, String connectionId, String transport, String nsp, JsonObject data,
                                JsonObject handshake, Collection<String> rooms) {
        JsonObject headers = handshake.getJsonObject("headers");
        String address = header(headers, "cf-connecting-ip");
        if (address == null) {
            address = header(headers, "x-forwarded-for");
        }
        if (address == null) {
            address = handshake.getString("address", null);
        }
        JsonObjectBuilder h = Json.createObjectBuilder();
        if (address != null) {
            h.add("address", address);
        }
        h.add("headers", headers).add("query", handshake.getJsonObject("query"))
                .add("issued", handshake.getJsonNumber("issued")).add("secure", handshake.getBoolean("secure"))
                .add("time", handshake.getString("time")).add("url", handshake.getString("url"))
                .add("xdomain", handshake.getBoolean("xdomain"));
        JsonObjectBuilder out = Json.createObjectBuilder().add("id", id);
        if (connectionId != null) {
            out.add("clientId", connectionId.substring(0, Math.min(12, connectionId.length())));
        }
        if (transport != null) {
            out.add("transport", transport);
        }
        return out.add("nsp", nsp).add("data", data).add("handshake", h)
                .add("rooms", Json.createArrayBuilder(List.copyOf(rooms))).build();
    }

    private static String header(JsonObject headers, String name) {
        JsonValue v = headers.get(name);
        return v instanceof jakarta.json.JsonString s ? s.getString() : null;
    }
}
