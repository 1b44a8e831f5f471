package dev.parley.engine;

import java.nio.charset.StandardCharsets;

/**
 * A request the server will not serve for a policy reason (authentication, origin, limits), as
 * opposed to a protocol error ({@link EngineError}). Polling answers it with its HTTP status and
 * {@link #json()}, and so does a WebSocket upgrade request, before the upgrade; a connection already
 * open (a container that upgraded without asking first) is closed with code 1008 (policy
 * violation) and the JSON as reason, or as much of it as a close frame holds.
 */
public final class EngineRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    /** The code of the reference's "Forbidden" error, used for every policy refusal. */
    public static final int CODE = 4;

    private final int httpStatus;

    /**
     * @param httpStatus 401 (who are you?), 403 (not you, not from there), 429 (too often), 503
     *                   (server full)
     * @param message    what the client is told
     */
    public EngineRefusal(int httpStatus, String message) {
        super(message, null, false, false); // a refusal is an answer, not a failure: no stack trace
        this.httpStatus = httpStatus;
    }

    public static EngineRefusal originNotAllowed() {
        return new EngineRefusal(403, "Origin not allowed");
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** {@code {"code":4,"message":"..."}}, the reference server's error body shape. */
    public String json() {
        return "{\"code\":" + CODE + ",\"message\":" + quote(getMessage()) + "}";
    }

    /** {@link #json()} cut to fit a close frame's reason (123 bytes of UTF-8). */
    public String closeReason() {
        String json = json();
        if (json.getBytes(StandardCharsets.UTF_8).length <= 123) {
            return json;
        }
        String m = getMessage();
        while (!m.isEmpty()) {
            m = m.substring(0, m.length() - 1);
            String cut = "{\"code\":" + CODE + ",\"message\":" + quote(m + "...") + "}";
            if (cut.getBytes(StandardCharsets.UTF_8).length <= 123) {
                return cut;
            }
        }
        return "{\"code\":" + CODE + "}";
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
