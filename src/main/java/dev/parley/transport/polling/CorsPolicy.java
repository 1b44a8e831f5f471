package dev.parley.transport.polling;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;

/**
 * CORS headers for polling responses, from the engine's configured origins: {@code "*"} answers
 * any origin with {@code Access-Control-Allow-Origin: *}; a list echoes a listed origin and allows
 * credentials. No configured origins: no CORS headers (same-origin pages only).
 */
final class CorsPolicy {

    private final List<String> origins;

    CorsPolicy(List<String> origins) {
        this.origins = List.copyOf(origins);
    }

    /** Adds the headers for this request's Origin, if it is allowed. */
    void apply(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (origin == null || origins.isEmpty()) {
            return;
        }
        if (origins.contains("*")) {
            response.setHeader("Access-Control-Allow-Origin", "*");
        } else if (origins.contains(origin)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
            response.addHeader("Vary", "Origin");
        }
    }

    /** Answers a preflight request. */
    void preflight(HttpServletRequest request, HttpServletResponse response) {
        apply(request, response);
        response.setHeader("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
        String requested = request.getHeader("Access-Control-Request-Headers");
        if (requested != null) {
            response.setHeader("Access-Control-Allow-Headers", requested);
        }
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
