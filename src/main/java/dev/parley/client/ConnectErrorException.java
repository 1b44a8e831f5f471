package dev.parley.client;

import jakarta.json.JsonValue;

/** The server refused a namespace: its message, and the {@code data} it attached (or null). */
public class ConnectErrorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient JsonValue data;

    public ConnectErrorException(String message, JsonValue data) {
        super(message);
        this.data = data;
    }

    public JsonValue data() {
        return data;
    }
}
