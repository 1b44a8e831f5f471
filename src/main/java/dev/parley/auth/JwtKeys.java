package dev.parley.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys a {@link JwtAuthenticator} verifies signatures with, and the only algorithms it accepts
 * for them. Tying the algorithms to the key source is what stops algorithm confusion: an HS256
 * token "signed" with an RSA public key's bytes, or {@code alg: none}, never reaches a verifier.
 */
record JwtKeys(Set<JWSAlgorithm> algorithms, JWSKeySelector<SecurityContext> selector) {

    static final int MIN_HMAC_BYTES = 32;
    static final int MIN_RSA_BITS = 2048;

    /** Algorithms a JSON Web Key Set may serve keys for; each key is matched to its own type. */
    private static final Set<JWSAlgorithm> JWKS_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    // Short, because the fetch runs on a container thread that a client is waiting on.
    private static final int HTTP_CONNECT_TIMEOUT_MS = 1_000;
    private static final int HTTP_READ_TIMEOUT_MS = 2_000;
    private static final int HTTP_SIZE_LIMIT_BYTES = 64 * 1024;
    // How long other threads wait for a fetch in progress: longer than one fetch can take.
    private static final long CACHE_REFRESH_TIMEOUT_MS = 5_000;
    private static final Duration MAX_RATE_LIMIT_INTERVAL = Duration.ofSeconds(30);
    static final Duration MIN_CACHE_TTL = Duration.ofSeconds(1);

    JwtKeys {
        algorithms = Set.copyOf(algorithms);
    }

    static JwtKeys hmac(byte[] secret) {
        if (secret.length < MIN_HMAC_BYTES) {
            throw new IllegalArgumentException("HMAC secret too short for HS256: " + secret.length * 8
                    + " bits, at least " + MIN_HMAC_BYTES * 8 + " required");
        }
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        return new JwtKeys(Set.of(JWSAlgorithm.HS256), new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256, key));
    }

    static JwtKeys publicKey(PublicKey key) {
        JWSAlgorithm algorithm = algorithmFor(key);
        return new JwtKeys(Set.of(algorithm), new SingleKeyJWSKeySelector<>(algorithm, key));
    }

    private static JWSAlgorithm algorithmFor(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new IllegalArgumentException(
                        "RSA key too short for RS256: " + bits + " bits, at least " + MIN_RSA_BITS + " required");
            }
            return JWSAlgorithm.RS256;
        }
        if (key instanceof ECPublicKey ec) {
            if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                throw new IllegalArgumentException("EC key must be on curve P-256 for ES256");
            }
            return JWSAlgorithm.ES256;
        }
        throw new IllegalArgumentException(
                "unsupported public key algorithm " + key.getAlgorithm() + ": RSA or EC expected");
    }

    static JwtKeys jwksFile(Path file) {
        JWKSet keys;
        try {
            keys = JWKSet.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JWKS file " + file, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK set: " + file + ": " + e.getMessage(), e);
        }
        // Drops private parts and symmetric keys: a file meant for verification must not turn a
        // shared secret into an accepted HS256 key.
        JWKSet publicKeys = keys.toPublicJWKSet();
        if (publicKeys.isEmpty()) {
            throw new IllegalArgumentException("JWKS file " + file + " holds no public keys");
        }
        return fromSource(new ImmutableJWKSet<>(publicKeys));
    }

    static JwtKeys jwksUrl(URI uri, Duration cacheTtl) {
        if (cacheTtl.compareTo(MIN_CACHE_TTL) < 0) {
            throw new IllegalArgumentException("JWKS cache TTL must be at least " + MIN_CACHE_TTL + ", got " + cacheTtl);
        }
        URL url = toHttpUrl(uri);
        // nimbus allows two fetches per interval (one for expiry, one for a rotated key) and
        // insists the interval be shorter than the TTL, else an expired cache could not refill.
        Duration rateLimit = min(MAX_RATE_LIMIT_INTERVAL, cacheTtl.dividedBy(2));
        JWKSource<SecurityContext> source = JWKSourceBuilder
                .<SecurityContext>create(url, new DefaultResourceRetriever(
                        HTTP_CONNECT_TIMEOUT_MS, HTTP_READ_TIMEOUT_MS, HTTP_SIZE_LIMIT_BYTES))
                .cache(cacheTtl.toMillis(), CACHE_REFRESH_TIMEOUT_MS)
                // Refresh-ahead would start an executor thread nobody closes; a lazy refill is enough.
                .refreshAheadCache(false)
                .rateLimited(rateLimit.toMillis())
                .retrying(false)
                .outageTolerant(false)
                .build();
        return fromSource(source);
    }

    private static JwtKeys fromSource(JWKSource<SecurityContext> source) {
        return new JwtKeys(JWKS_ALGORITHMS, new JWSVerificationKeySelector<>(JWKS_ALGORITHMS, source));
    }

    private static URL toHttpUrl(URI uri) {
        String scheme = uri.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("JWKS URL must be http or https: " + uri);
        }
        try {
            return uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid JWKS URL: " + uri, e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
