package dev.parley.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An incoming event the server will not handle (a role it lacks, a rate it exceeds). Failing socket
 * middleware with it drops the event, tells the socket's {@link Socket#onError} handlers, and sends
 * the client an {@code error} event with {@code {"message": ..., "data": {"event": ..., "status": ...}}}
 * so it learns why nothing happened.
 */
public class EventRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The event the client receives a refusal on. */
    public static final String CLIENT_EVENT = "error";

    private final String event;
    private final int status;

    /**
     * @param event   the refused event's name
     * @param status  401 (no identity), 403 (not allowed), 429 (too many)
     * @param message what the client is told
     */
    public EventRefusedException(String event, int status, String message) {
        super(message, null, false, false);
        this.event = event;
        this.status = status;
    }

    public String event() {
        return event;
    }

    public int status() {
        return status;
    }

    /** The payload of the client's {@code error} event. */
    Map<String, Object> toClient() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event", event);
        data.put("status", status);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("message", getMessage());
        payload.put("data", data);
        return payload;
    }
}
