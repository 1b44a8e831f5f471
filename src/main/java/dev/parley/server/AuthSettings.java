package dev.parley.server;

import dev.parley.auth.ContainerPrincipalAuthenticator;
import dev.parley.auth.JwtAuthenticator;
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
 * The authentication settings of {@link ParleySettings}: {@code auth=jwt} checks a bearer JWT at
 * every namespace CONNECT (token from the {@code auth} payload, the Authorization header or the
 * {@code token} query parameter) with one key source of {@code jwt-secret}, {@code jwt-public-key}
 * (a PEM file) or {@code jwt-jwks} (an http(s) URL, cached 5 min, or a file);
 * {@code auth=container} requires the container's logged-in user at the handshake, probing the
 * roles listed in {@code container-roles}; {@code auth=none} (the default) checks nothing.
 */
final class AuthSettings {

    private AuthSettings() {
    }

    static void apply(ParleySettings.Reader r, ParleyOptions.Builder p) {
        String[] mode = {"none"};
        r.string(ParleySettings.AUTH, v -> {
            if (!List.of("none", "jwt", "container").contains(v)) {
                throw new IllegalArgumentException("unknown auth '" + v + "' (none, jwt, container)");
            }
            mode[0] = v;
        });
        if (mode[0].equals("container")) {
            List<String> roles = new ArrayList<>();
            r.list(ParleySettings.CONTAINER_ROLES, roles::addAll);
            p.authenticator(new ContainerPrincipalAuthenticator(roles));
        } else if (mode[0].equals("jwt")) {
            requireJwtLibrary();
            JwtAuthenticator.Builder jwt = JwtAuthenticator.builder();
            int[] keys = {0};
            r.string(ParleySettings.JWT_SECRET, v -> {
                jwt.hmacSecret(v.getBytes(StandardCharsets.UTF_8));
                keys[0]++;
            });
            r.string(ParleySettings.JWT_PUBLIC_KEY, v -> {
                jwt.publicKey(readPem(Path.of(v)));
                keys[0]++;
            });
            r.string(ParleySettings.JWT_JWKS, v -> {
                if (v.startsWith("http://") || v.startsWith("https://")) {
                    jwt.jwksUrl(URI.create(v), Duration.ofMinutes(5));
                } else {
                    jwt.jwksFile(Path.of(v));
                }
                keys[0]++;
            });
            if (keys[0] != 1) {
                throw new IllegalArgumentException("auth=jwt needs exactly one of jwt-secret, jwt-public-key, jwt-jwks");
            }
            r.string(ParleySettings.JWT_ISSUER, jwt::issuer);
            r.list(ParleySettings.JWT_AUDIENCE, v -> jwt.audience(v.toArray(String[]::new)));
            r.number(ParleySettings.JWT_CLOCK_SKEW, v -> jwt.clockSkew(Duration.ofMillis(v)));
            r.string(ParleySettings.JWT_ROLES_CLAIM, jwt::rolesClaim);
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
