package dev.parley.transport;

import dev.parley.engine.EngineRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What both transports do with a servlet request and response, in one place: turn the request into
 * the engine's {@link EngineRequest}, and answer the reference server's JSON errors
 * ({@code {"code":N,"message":"..."}}) with their status. The polling servlet and the WebSocket
 * upgrade filter use it, so a refused handshake reads the same on either transport.
 */
public final class ServletExchange {

    private ServletExchange() {
    }

    /**
     * The request as the engine judges it. A handshake (no {@code sid}: a new connection) keeps
     * every header and the container's user and roles, as its session keeps the request; a request
     * of an open session (a poll, a POST or an upgrade, many a second) copies only the two headers
     * the Origin check reads.
     */
    public static EngineRequest engineRequest(HttpServletRequest req) {
        String raw = req.getQueryString();
        String uri = raw == null ? req.getRequestURI() : req.getRequestURI() + "?" + raw;
        Map<String, String> query = EngineRequest.parseQuery(raw);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (!query.containsKey("sid")) {
            for (String name : Collections.list(req.getHeaderNames())) {
                headers.put(name, Collections.list(req.getHeaders(name)));
            }
            return new EngineRequest(req.getMethod(), uri, query, headers, req.getRemoteAddr(), req.isSecure(),
                    req.getUserPrincipal(), req::isUserInRole);
        }
        String origin = req.getHeader("Origin");
        if (origin != null) {
            headers.put("Origin", List.of(origin));
            String host = req.getHeader("Host");
            headers.put("Host", host == null ? List.of() : List.of(host));
        }
        return new EngineRequest(req.getMethod(), uri, query, headers, req.getRemoteAddr(), req.isSecure());
    }

    /** Answers {@code status} with {@code json} as an {@code application/json} body. */
    public static void answerJson(HttpServletResponse resp, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
