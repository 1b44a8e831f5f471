package dev.parley.auth;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who a connection or socket belongs to, as an authenticator established it: a name, the roles
 * it holds, the claims it came with (a JWT's claims, say) and when it stops being valid.
 * Immutable.
 *
 * @param name      the principal's name (a JWT's {@code sub}, the container user's name)
 * @param roles     the roles held, for {@code @RolesAllowed} and role checks
 * @param claims    further attributes, by name; values are JSON-like (String, Number, Boolean,
 *                  List, Map)
 * @param expiresAt when the credentials expire, or {@code null} if they do not
 */
public record Identity(String name, Set<String> roles, Map<String, Object> claims, Instant expiresAt)
        implements Principal {

    public Identity {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        claims = Map.copyOf(claims);
    }

    /** An identity with a name and roles, no claims, no expiry. */
    public static Identity of(String name, String... roles) {
        return new Identity(name, Set.of(roles), Map.of(), null);
    }

    @Override
    public String getName() {
        return name;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether it holds at least one of the roles. */
    public boolean hasAnyRole(Iterable<String> wanted) {
        for (String r : wanted) {
            if (roles.contains(r)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the credentials have expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
