package dev.parley.protocol.socketio;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. The static {@code jakarta.json.Json} factory methods look
 * the provider up again on every call (a ServiceLoader scan), which costs more than the JSON work
 * itself on a per-message path; everything in Parley builds and parses JSON through this instead.
 */
public final class Jsonp {

    /** The provider found on the class path (Parsson, or the container's). */
    public static final JsonProvider PROVIDER = JsonProvider.provider();

    private Jsonp() {
    }
}
