package dev.parley.auth;

import java.security.Principal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lets in the user the servlet container already authenticated (form login, Basic, a
 * {@code jakarta.security} mechanism), as the handshake request's principal. A container can only
 * answer "is the user in role X?", never list the roles, so the roles to ask about are given up
 * front; the identity holds those the user is in. Immutable and thread-safe.
 */
public final class ContainerPrincipalAuthenticator implements HandshakeAuthenticator {

    static final String NOT_LOGGED_IN = "not logged in";
    static final String MISSING_ROLE = "missing role";

    private final List<String> probedRoles;
    private final Set<String> requiredRoles;

    /**
     * Lets in any logged-in user.
     *
     * @param probedRoles the roles to ask the container about; the identity holds those the user
     *                    is in
     */
    public ContainerPrincipalAuthenticator(Collection<String> probedRoles) {
        this(probedRoles, Set.of());
    }

    /**
     * Lets in a logged-in user who is in at least one of {@code requiredRoles} (any user, if it is
     * empty). Required roles are probed too, so they need not be repeated in {@code probedRoles}.
     *
     * @param probedRoles   the roles to ask the container about
     * @param requiredRoles roles of which the user must hold one
     */
    public ContainerPrincipalAuthenticator(Collection<String> probedRoles, Collection<String> requiredRoles) {
        Set<String> probed = new LinkedHashSet<>(probedRoles);
        probed.addAll(requiredRoles);
        this.probedRoles = List.copyOf(probed);
        this.requiredRoles = Set.copyOf(requiredRoles);
    }

    /**
     * @return the container user: its name, the probed roles it is in, no claims, no expiry
     * @throws AuthenticationException 401 {@code not logged in} without a container user, 403
     *                                 {@code missing role} when it holds none of the required roles
     */
    @Override
    public Identity authenticate(AuthRequest request) throws AuthenticationException {
        Principal principal = request.containerPrincipal();
        if (principal == null || principal.getName() == null) {
            throw AuthenticationException.unauthorized(NOT_LOGGED_IN);
        }
        Set<String> held = new LinkedHashSet<>();
        for (String role : probedRoles) {
            if (request.isContainerUserInRole(role)) {
                held.add(role);
            }
        }
        Identity identity = new Identity(principal.getName(), held, Map.of(), null);
        if (!requiredRoles.isEmpty() && !identity.hasAnyRole(requiredRoles)) {
            throw AuthenticationException.forbidden(MISSING_ROLE);
        }
        return identity;
    }
}
