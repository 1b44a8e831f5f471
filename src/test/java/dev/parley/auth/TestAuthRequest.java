package dev.parley.auth;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.security.Principal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** An {@link AuthRequest} assembled by a test: headers, query, auth payload, container user. */
final class TestAuthRequest implements AuthRequest {

    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> query = new HashMap<>();
    private final Set<String> containerRoles = new HashSet<>();
    private JsonObject authPayload;
    private Principal principal;

    TestAuthRequest header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    TestAuthRequest query(String name, String value) {
        query.put(name, value);
        return this;
    }

    /** An auth payload of {@code {"token": token}}. */
    TestAuthRequest payloadToken(String token) {
        return payload(Json.createObjectBuilder().add("token", token).build());
    }

    TestAuthRequest payload(JsonObject payload) {
        this.authPayload = payload;
        return this;
    }

    TestAuthRequest user(String name, String... roles) {
        this.principal = () -> name;
        containerRoles.addAll(Set.of(roles));
        return this;
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String cookie(String name) {
        return null;
    }

    @Override
    public String queryParam(String name) {
        return query.get(name);
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1";
    }

    @Override
    public Principal containerPrincipal() {
        return principal;
    }

    @Override
    public boolean isContainerUserInRole(String role) {
        return principal != null && containerRoles.contains(role);
    }

    @Override
    public JsonObject authPayload() {
        return authPayload;
    }
}
