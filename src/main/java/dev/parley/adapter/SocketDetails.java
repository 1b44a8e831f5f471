package dev.parley.adapter;

import jakarta.json.JsonObject;
import java.util.Objects;
import java.util.Set;

/**
 * A socket as any node of a cluster can describe it, the answer of {@link Adapter#fetchSockets}: what
 * socket.io's {@code RemoteSocket} holds, in the form the official adapters carry on the wire.
 *
 * @param id        the socket's id
 * @param handshake its handshake as socket.io writes it: {@code headers}, {@code time}, {@code address},
 *                  {@code xdomain}, {@code secure}, {@code issued}, {@code url}, {@code query}, {@code auth}
 * @param rooms     the rooms it is in (its own id among them)
 * @param data      its {@code data}, as JSON (values JSON cannot carry are left out)
 */
public record SocketDetails(String id, JsonObject handshake, Set<String> rooms, JsonObject data) {

    public SocketDetails {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(handshake, "handshake");
        rooms = Set.copyOf(rooms);
        Objects.requireNonNull(data, "data");
    }
}
