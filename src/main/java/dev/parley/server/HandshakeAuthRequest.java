package dev.parley.server;

import dev.parley.auth.AuthRequest;
import dev.parley.engine.EngineRequest;
import jakarta.json.JsonObject;
import java.security.Principal;
import java.util.List;

/**
 * An {@link AuthRequest} over the request that opened a connection, with the {@code auth} payload
 * of a namespace CONNECT when there is one.
 */
final class HandshakeAuthRequest implements AuthRequest {

    private final EngineRequest request;
    private final JsonObject auth;

    HandshakeAuthRequest(EngineRequest request, JsonObject auth) {
        this.request = request;
        this.auth = auth;
    }

    @Override
    public String header(String name) {
        return request.header(name);
    }

    @Override
    public String cookie(String name) {
        List<String> values = request.headers().get("Cookie");
        if (values == null) {
            return null;
        }
        for (String header : values) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    String v = pair.substring(eq + 1).trim();
                    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
                }
            }
        }
        return null;
    }

    @Override
    public String queryParam(String name) {
        return request.queryParam(name);
    }

    @Override
    public String remoteAddress() {
        return request.remoteAddress();
    }

    @Override
    public Principal containerPrincipal() {
        return request.principal();
    }

    @Override
    public boolean isContainerUserInRole(String role) {
        try {
            return request.userInRole().test(role);
        } catch (RuntimeException recycled) {
            // Asked after the handshake (at a namespace CONNECT) the container's request is gone.
            return false;
        }
    }

    @Override
    public JsonObject authPayload() {
        return auth;
    }
}
