package dev.parley.jakarta.it.secure.basic;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;

/**
 * The built-in HTTP Basic mechanism of Jakarta Security, checking the WAR's own
 * {@code ProbeIdentityStore}. On a resource with no security constraint (all of the probe, and
 * {@code /socket.io/*}) it logs in a request with valid credentials and lets every other request
 * through anonymously: no 401 from the container, not even for wrong credentials.
 */
@BasicAuthenticationMechanismDefinition(realmName = "parley")
@ApplicationScoped
public class BasicMechanism {
}
