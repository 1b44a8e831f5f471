package dev.parley.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The server's Engine.IO URLs for each transport: {@code http(s)://host/path/?EIO=4&transport=polling[&sid=…]}
 * and {@code ws(s)://…&transport=websocket[&sid=…]}, each carrying the options' {@link ClientOptions#query}
 * URL-encoded. Immutable.
 */
final class EngineAddress {

    private final boolean secure;
    private final String authorityAndPath;
    private final String extraQuery;

    EngineAddress(URI base, String path, Map<String, String> query) {
        String scheme = base.getScheme();
        this.secure = scheme.equals("https") || scheme.equals("wss");
        this.authorityAndPath = base.getRawAuthority() + path;
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> e : query.entrySet()) {
            q.append('&').append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        this.extraQuery = q.toString();
    }

    /** The polling URL; {@code sid} null for the handshake. */
    URI polling(String sid) {
        return uri(secure ? "https" : "http", "polling", sid);
    }

    /** The WebSocket URL; {@code sid} null for a WebSocket-first session, the polling session's for a probe. */
    URI webSocket(String sid) {
        return uri(secure ? "wss" : "ws", "websocket", sid);
    }

    private URI uri(String scheme, String transport, String sid) {
        return URI.create(scheme + "://" + authorityAndPath + "?EIO=4&transport=" + transport
                + (sid == null ? "" : "&sid=" + URLEncoder.encode(sid, StandardCharsets.UTF_8)) + extraQuery);
    }

    @Override
    public String toString() {
        return (secure ? "https://" : "http://") + authorityAndPath;
    }
}
