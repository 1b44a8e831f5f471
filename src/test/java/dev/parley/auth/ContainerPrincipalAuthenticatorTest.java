package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerPrincipalAuthenticatorTest {

    @Test
    void refusesWithoutContainerUser() {
        ContainerPrincipalAuthenticator auth = new ContainerPrincipalAuthenticator(List.of("user"));

        assertThatThrownBy(() -> auth.authenticate(new TestAuthRequest()))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.status()).isEqualTo(AuthenticationException.UNAUTHORIZED);
                    assertThat(e.getMessage()).isEqualTo("not logged in");
                });
    }

    @Test
    void identityHoldsOnlyTheProbedRolesTheUserIsIn() throws Exception {
        ContainerPrincipalAuthenticator auth = new ContainerPrincipalAuthenticator(List.of("user", "admin"));

        // "auditor" is held but never probed: a container cannot list roles, so it stays unknown.
        Identity identity = auth.authenticate(new TestAuthRequest().user("alice", "user", "auditor"));

        assertThat(identity.name()).isEqualTo("alice");
        assertThat(identity.roles()).containsExactly("user");
        assertThat(identity.claims()).isEmpty();
        assertThat(identity.expiresAt()).isNull();
    }

    @Test
    void letsInUserWithOneOfTheRequiredRoles() throws Exception {
        ContainerPrincipalAuthenticator auth =
                new ContainerPrincipalAuthenticator(List.of("user"), Set.of("admin", "operator"));

        Identity identity = auth.authenticate(new TestAuthRequest().user("bob", "operator", "user"));

        assertThat(identity.name()).isEqualTo("bob");
        assertThat(identity.roles()).containsExactlyInAnyOrder("user", "operator");
    }

    @Test
    void forbidsUserWithoutRequiredRole() {
        ContainerPrincipalAuthenticator auth =
                new ContainerPrincipalAuthenticator(List.of("user"), Set.of("admin"));

        assertThatThrownBy(() -> auth.authenticate(new TestAuthRequest().user("carol", "user")))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.status()).isEqualTo(AuthenticationException.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("missing role");
                });
    }
}
