package dev.parley.settings;

import dev.parley.auth.ContainerPrincipalAuthenticator;
import dev.parley.auth.JwtAuthenticator;
import dev.parley.server.ParleyOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The authentication settings of {@link Settings}, which make one authenticator together:
 * {@code auth=jwt} checks a bearer JWT at every namespace CONNECT (token from the {@code auth}
 * payload, the Authorization header or the {@code token} query parameter) with one key source of
 * {@code jwt-secret}, {@code jwt-public-key} (a PEM file) or {@code jwt-jwks} (an http(s) URL,
 * cached 5 min, or a file); {@code auth=container} requires the container's logged-in user at the
 * handshake, probing the roles listed in {@code container-roles}; {@code auth=none} (the default)
 * checks nothing. The {@code jwt-*} settings are used only with {@code auth=jwt}, the roles only
 * with {@code auth=container} (both are still validated); {@code auth} is read before them.
 */
final class AuthSettings {

    private String mode = "none";
    private JwtAuthenticator.Builder jwt;
    private int keys;
    private final List<String> containerRoles = new ArrayList<>();

    void mode(String mode) {
        if (mode.equals("jwt")) {
            requireJwtLibrary();
            jwt = JwtAuthenticator.builder();
        }
        this.mode = mode;
    }

    void secret(String secret) {
        if (jwt != null) {
            jwt.hmacSecret(secret.getBytes(StandardCharsets.UTF_8));
            keys++;
        }
    }

    void publicKey(String pemFile) {
        if (jwt != null) {
            jwt.publicKey(readPem(Path.of(pemFile)));
            keys++;
        }
    }

    void jwks(String urlOrFile) {
        if (jwt != null) {
            if (urlOrFile.startsWith("http://") || urlOrFile.startsWith("https://")) {
                jwt.jwksUrl(URI.create(urlOrFile), Duration.ofMinutes(5));
            } else {
                jwt.jwksFile(Path.of(urlOrFile));
            }
            keys++;
        }
    }

    void issuer(String issuer) {
        if (jwt != null) {
            jwt.issuer(issuer);
        }
    }

    void audience(List<String> audience) {
        if (jwt != null) {
            jwt.audience(audience.toArray(String[]::new));
        }
    }

    void clockSkew(long millis) {
        if (jwt != null) {
            jwt.clockSkew(Duration.ofMillis(millis));
        }
    }

    void rolesClaim(String claim) {
        if (jwt != null) {
            jwt.rolesClaim(claim);
        }
    }

    void containerRoles(List<String> roles) {
        containerRoles.addAll(roles);
    }

    /** Sets the authenticator the settings make, if any. */
    void applyTo(ParleyOptions.Builder p) {
        if (mode.equals("container")) {
            p.authenticator(new ContainerPrincipalAuthenticator(containerRoles));
        } else if (jwt != null) {
            if (keys != 1) {
                throw new IllegalArgumentException("auth=jwt needs exactly one of jwt-secret, jwt-public-key, jwt-jwks");
            }
            try {
                p.connectAuthenticator(jwt.build());
            } catch (IllegalStateException invalid) {
                throw new IllegalArgumentException(invalid.getMessage(), invalid);
            }
        }
    }

    /**
     * nimbus-jose-jwt is an optional dependency of Parley (a WAR carries it only when it declares it):
     * without it, auth=jwt fails the start naming what to add, not with a NoClassDefFoundError later.
     */
    static void requireJwtLibrary() {
        try {
            Class.forName("com.nimbusds.jwt.SignedJWT", false, AuthSettings.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("auth=jwt needs nimbus-jose-jwt, which is not on the class path: add "
                    + "the dependency com.nimbusds:nimbus-jose-jwt:10.10 to the application (Parley declares it "
                    + "optional, so a WAR carries it only when it asks for it)");
        }
    }

    /** An RSA or EC public key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}). */
    static PublicKey readPem(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = pem.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " holds no '-----BEGIN PUBLIC KEY-----' block");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 26, end));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(file + " is not an RSA or EC public key");
    }
}
