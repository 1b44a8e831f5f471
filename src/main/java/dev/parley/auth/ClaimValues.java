package dev.parley.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns verified JWT claims into what an {@link Identity} holds. The claims are copied, deeply and
 * immutably, so an identity shares nothing with nimbus (whose nested maps are its shaded Gson's
 * own type) and cannot be changed by whoever reads it.
 */
final class ClaimValues {

    private ClaimValues() {
    }

    /**
     * All claims as String, Long/Double, Boolean, List and Map; dates ({@code exp}, {@code nbf},
     * {@code iat}) as epoch seconds. Top-level nulls are left out (an {@link Identity} cannot hold
     * them); nested ones are kept, since in an array their position means something.
     */
    static Map<String, Object> plain(JWTClaimsSet claims) {
        // toJSONObject() already renders dates as epoch seconds and omits null claims.
        Map<String, Object> json = claims.toJSONObject();
        Map<String, Object> copy = new LinkedHashMap<>();
        json.forEach((name, value) -> {
            if (value != null) {
                copy.put(name, deepCopy(value));
            }
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(deepCopy(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** The claim as a name, or {@code null} if it is missing, not a string, or blank. */
    static String name(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    /**
     * Roles from a JSON array of strings ({@code "roles": ["admin"]}) or a space-separated string
     * (OAuth's {@code "scope": "read write"}). Anything else yields none: a claim of an unexpected
     * shape grants nothing rather than refusing every token.
     */
    static Set<String> roles(Object value) {
        Set<String> roles = new LinkedHashSet<>();
        if (value instanceof String s) {
            for (String role : s.strip().split("\\s+")) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof String role && !role.isBlank()) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }
}
