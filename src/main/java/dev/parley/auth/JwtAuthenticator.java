package dev.parley.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Authenticates clients by a signed JSON Web Token. The token is taken from the namespace
 * {@code auth} payload's {@code token} member, else the {@code Authorization: Bearer} header, else
 * the {@code token} query parameter. It must be signed with the configured key by the algorithm
 * that key implies (HS256, RS256 or ES256; never {@code none}), carry an {@code exp} that has not
 * passed, an {@code nbf} (if any) that has, and the configured issuer and audience.
 *
 * <p>Refusals are 401 with a short message that never contains the token: {@code missing token},
 * {@code malformed token}, {@code invalid signature}, {@code token expired}, {@code token not yet
 * valid}, {@code token has no expiry}, {@code wrong issuer}, {@code wrong audience},
 * {@code token has no subject}, or {@code cannot verify token} when a remote key set cannot be
 * fetched.
 *
 * <pre>{@code
 * HandshakeAuthenticator jwt = JwtAuthenticator.builder()
 *         .jwksUrl(URI.create("https://idp.example/jwks.json"), Duration.ofMinutes(10))
 *         .issuer("https://idp.example/")
 *         .audience("chat")
 *         .build();
 * }</pre>
 *
 * Immutable and thread-safe once built.
 */
public final class JwtAuthenticator implements HandshakeAuthenticator {

    static final String MISSING_TOKEN = "missing token";
    static final String MALFORMED_TOKEN = "malformed token";
    static final String INVALID_SIGNATURE = "invalid signature";
    static final String NO_SUBJECT = "token has no subject";
    static final String CANNOT_VERIFY = "cannot verify token";

    private final JwtKeys keys;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String nameClaim;
    private final String rolesClaim;

    private JwtAuthenticator(Builder builder, JwtKeys keys) {
        this.keys = keys;
        this.nameClaim = builder.nameClaim;
        this.rolesClaim = builder.rolesClaim;
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(keys.selector());
        // Identity providers use "JWT", "at+jwt" (RFC 9068) or nothing; issuer, audience and key
        // already say whose token it is, so the typ header is not a gate here.
        p.setJWSTypeVerifier((type, context) -> { });
        p.setJWTClaimsSetVerifier(new JwtClaimsCheck(builder.clock, builder.clockSkew, builder.issuer,
                builder.audiences));
        // Never changed after this point; the final field publishes it safely to every thread.
        this.processor = p;
    }

    /** A builder; exactly one key source must be set on it. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies the request's token and returns who it names.
     *
     * @return the identity: name from the name claim, roles from the roles claim, all claims as
     *         plain Java values, expiring at {@code exp}; never {@code null}
     * @throws AuthenticationException 401, when there is no token or it is not acceptable
     */
    @Override
    public Identity authenticate(AuthRequest request) throws AuthenticationException {
        String token = BearerTokens.find(request);
        if (token == null) {
            throw AuthenticationException.unauthorized(MISSING_TOKEN);
        }
        return identity(verify(parse(token)));
    }

    private SignedJWT parse(String token) throws AuthenticationException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
            // Parsed now so that a broken payload reads as malformed, not as a signature problem.
            jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            // No cause attached: nimbus's parse messages may quote pieces of the token.
            throw AuthenticationException.unauthorized(MALFORMED_TOKEN);
        }
        if (jwt instanceof SignedJWT signed) {
            if (!keys.algorithms().contains(signed.getHeader().getAlgorithm())) {
                throw AuthenticationException.unauthorized(INVALID_SIGNATURE);
            }
            return signed;
        }
        // alg "none" is a token without a signature; an encrypted one is not something we take.
        throw AuthenticationException.unauthorized(jwt instanceof PlainJWT ? INVALID_SIGNATURE : MALFORMED_TOKEN);
    }

    private JWTClaimsSet verify(SignedJWT jwt) throws AuthenticationException {
        try {
            return processor.process(jwt, null);
        } catch (JwtClaimsCheck.Rejected e) {
            throw AuthenticationException.unauthorized(e.getMessage());
        } catch (BadJOSEException e) {
            // A signature that does not verify, or no key for the token's kid and algorithm.
            throw AuthenticationException.unauthorized(INVALID_SIGNATURE);
        } catch (RateLimitReachedException e) {
            // An unknown kid while the key set was fetched too recently to fetch it again: as far
            // as we can tell, no key of ours signed it.
            throw AuthenticationException.unauthorized(INVALID_SIGNATURE);
        } catch (KeySourceException e) {
            // The key set is unreachable: the client may well be fine, so say so, and keep the cause
            // for the server's log.
            throw new AuthenticationException(AuthenticationException.UNAUTHORIZED, CANNOT_VERIFY, null, e);
        } catch (JOSEException e) {
            // The verifier refused the key for this header; the token cannot be verified with it.
            throw AuthenticationException.unauthorized(INVALID_SIGNATURE);
        }
    }

    private Identity identity(JWTClaimsSet verified) throws AuthenticationException {
        Map<String, Object> claims = ClaimValues.plain(verified);
        String name = ClaimValues.name(claims.get(nameClaim));
        if (name == null) {
            throw AuthenticationException.unauthorized(NO_SUBJECT);
        }
        Set<String> roles = ClaimValues.roles(claims.get(rolesClaim));
        // JwtClaimsCheck has already refused a token without exp.
        return new Identity(name, roles, claims, verified.getExpirationTime().toInstant());
    }

    /**
     * Configures a {@link JwtAuthenticator}. Not thread-safe; {@link #build()} may be called more
     * than once, each time reading the current settings (and a JWKS file anew).
     */
    public static final class Builder {

        /** The default of {@link #clockSkew}. */
        public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
        /** The default of {@link #rolesClaim}. */
        public static final String DEFAULT_ROLES_CLAIM = "roles";

        private static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

        private final List<Supplier<JwtKeys>> keySources = new ArrayList<>();
        private String issuer;
        private Set<String> audiences = Set.of();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private String nameClaim = "sub";
        private String rolesClaim = DEFAULT_ROLES_CLAIM;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Verifies HS256 signatures with a shared secret (copied). {@link #build()} refuses a
         * secret shorter than 256 bits, the minimum RFC 7518 sets for HS256.
         */
        public Builder hmacSecret(byte[] secret) {
            byte[] copy = Objects.requireNonNull(secret, "secret").clone();
            keySources.add(() -> JwtKeys.hmac(copy));
            return this;
        }

        /**
         * Verifies signatures with a public key: RS256 for an RSA key (at least 2048 bits), ES256
         * for an EC key on P-256. {@link #build()} refuses other keys.
         */
        public Builder publicKey(PublicKey key) {
            Objects.requireNonNull(key, "key");
            keySources.add(() -> JwtKeys.publicKey(key));
            return this;
        }

        /**
         * Verifies RS256 and ES256 signatures with the public keys of a JSON Web Key Set file, read
         * once by {@link #build()}; a token's {@code kid} picks the key. Private and symmetric keys
         * in the file are ignored.
         */
        public Builder jwksFile(Path file) {
            Objects.requireNonNull(file, "file");
            keySources.add(() -> JwtKeys.jwksFile(file));
            return this;
        }

        /**
         * Verifies RS256 and ES256 signatures with the keys of a JSON Web Key Set served at
         * {@code uri} (use https outside tests). The set is fetched at the first authentication,
         * kept for {@code cacheTtl} (at least one second), and fetched again early when a token
         * names a {@code kid} the set lacks, as after a key rotation. At most two fetches happen
         * per 30 seconds (per half the TTL, if shorter), so tokens with made-up {@code kid}s cannot
         * hammer the issuer; a token whose key is still unknown then is refused as an invalid
         * signature. A fetch gives up after one second connecting or two seconds reading.
         */
        public Builder jwksUrl(URI uri, Duration cacheTtl) {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            keySources.add(() -> JwtKeys.jwksUrl(uri, cacheTtl));
            return this;
        }

        /** Requires {@code iss} to equal {@code issuer} exactly. */
        public Builder issuer(String issuer) {
            this.issuer = requireNonBlank(issuer, "issuer");
            return this;
        }

        /** Requires {@code aud} to contain at least one of {@code audiences} (at least one given). */
        public Builder audience(String... audiences) {
            if (audiences.length == 0) {
                throw new IllegalArgumentException("at least one audience required");
            }
            Set<String> accepted = new LinkedHashSet<>();
            for (String audience : audiences) {
                accepted.add(requireNonBlank(audience, "audience"));
            }
            this.audiences = Set.copyOf(accepted);
            return this;
        }

        /**
         * How far the clocks of issuer and server may disagree, granted on both {@code exp} and
         * {@code nbf}; 60 seconds unless set; from zero to one day.
         */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("clock skew must be between 0 and " + MAX_CLOCK_SKEW + ", got " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /** The string claim that names the identity; {@code sub} unless set. */
        public Builder nameClaim(String claim) {
            this.nameClaim = requireNonBlank(claim, "nameClaim");
            return this;
        }

        /**
         * The claim holding the roles, as an array of strings or a space-separated string (OAuth's
         * {@code scope}); {@code roles} unless set. A token without it has no roles.
         */
        public Builder rolesClaim(String claim) {
            this.rolesClaim = requireNonBlank(claim, "rolesClaim");
            return this;
        }

        /** The clock {@code exp} and {@code nbf} are checked against; the system UTC clock unless set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the authenticator.
         *
         * @throws IllegalStateException    if not exactly one key source was set
         * @throws IllegalArgumentException if the key source is unusable (short secret, unsupported
         *                                  key, a JWKS file without public keys, a non-http URL)
         * @throws java.io.UncheckedIOException if a JWKS file cannot be read
         */
        public JwtAuthenticator build() {
            if (keySources.size() != 1) {
                throw new IllegalStateException("exactly one key source required (hmacSecret, publicKey, "
                        + "jwksFile or jwksUrl), " + keySources.size() + " set");
            }
            return new JwtAuthenticator(this, keySources.get(0).get());
        }

        private static String requireNonBlank(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
