package dev.parley.transport.polling;

import dev.parley.engine.OriginPolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * CORS headers for polling responses, from the engine's allowed origins: a listed origin is echoed
 * with credentials allowed (cookies go along); {@code "*"} answers {@code Access-Control-Allow-Origin: *},
 * which browsers never combine with credentials, so an open server does not lend its users'
 * cookies to every site. The server's own origin needs no CORS headers.
 */
final class CorsPolicy {

    private final OriginPolicy origins;

    CorsPolicy(OriginPolicy origins) {
        this.origins = origins;
    }

    /**
     * Whether a preflight's Origin may talk to this server. A preflight is no Engine.IO request (the
     * engine's verdict judges the request that follows), so its origin is the only thing judged.
     */
    boolean allows(HttpServletRequest request) {
        return origins.allows(request.getHeader("Origin"), request.getHeader("Host"));
    }

    /** Adds the headers for this request's Origin, if it is allowed. */
    void apply(HttpServletRequest request, HttpServletResponse response) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return;
        }
        if (origins.isListed(origin)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
            response.addHeader("Vary", "Origin");
        } else if (origins.allowsAny()) {
            response.setHeader("Access-Control-Allow-Origin", "*");
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
