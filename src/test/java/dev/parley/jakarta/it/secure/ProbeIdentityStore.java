package dev.parley.jakarta.it.secure;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Map;
import java.util.Set;

/**
 * The test WAR's own users, no container configuration: alice (role admin, password alice-pw)
 * and bob (role user, password bob-pw).
 */
@ApplicationScoped
public class ProbeIdentityStore implements IdentityStore {

    private record User(String password, Set<String> groups) {
    }

    private static final Map<String, User> USERS = Map.of(
            "alice", new User("alice-pw", Set.of("admin")),
            "bob", new User("bob-pw", Set.of("user")));

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential up)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        User user = USERS.get(up.getCaller());
        if (user == null || !up.compareTo(up.getCaller(), user.password())) {
            return CredentialValidationResult.INVALID_RESULT;
        }
        return new CredentialValidationResult(up.getCaller(), user.groups());
    }
}
