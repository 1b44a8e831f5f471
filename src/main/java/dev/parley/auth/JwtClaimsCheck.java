package dev.parley.auth;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The claim checks of a {@link JwtAuthenticator}, run by nimbus only after the signature is
 * verified. Written here rather than using nimbus's {@code DefaultJWTClaimsVerifier} because that
 * one reports every failure as a {@link BadJWTException} told apart only by its English message;
 * a {@link Rejected} carries the client-facing message itself.
 */
final class JwtClaimsCheck implements JWTClaimsSetVerifier<SecurityContext> {

    static final String NO_EXPIRY = "token has no expiry";
    static final String EXPIRED = "token expired";
    static final String NOT_YET_VALID = "token not yet valid";
    static final String WRONG_ISSUER = "wrong issuer";
    static final String WRONG_AUDIENCE = "wrong audience";

    private final Clock clock;
    private final Duration clockSkew;
    private final String issuer;
    private final Set<String> audiences;

    /**
     * @param issuer    the required {@code iss}, or {@code null} for any
     * @param audiences accepted {@code aud} values, empty for any
     */
    JwtClaimsCheck(Clock clock, Duration clockSkew, String issuer, Set<String> audiences) {
        this.clock = clock;
        this.clockSkew = clockSkew;
        this.issuer = issuer;
        this.audiences = Set.copyOf(audiences);
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws Rejected {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new Rejected(NO_EXPIRY);
        }
        if (!now.isBefore(exp.toInstant().plus(clockSkew))) {
            throw new Rejected(EXPIRED);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(clockSkew))) {
            throw new Rejected(NOT_YET_VALID);
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            throw new Rejected(WRONG_ISSUER);
        }
        if (!audiences.isEmpty() && !hasAcceptedAudience(claims)) {
            throw new Rejected(WRONG_AUDIENCE);
        }
    }

    private boolean hasAcceptedAudience(JWTClaimsSet claims) {
        List<String> aud = claims.getAudience();
        if (aud == null) {
            return false;
        }
        for (String a : aud) {
            // Set.of(...).contains(null) throws, and a JSON array may hold a null.
            if (a != null && audiences.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** A failed claim check; its message is the one the client sees. */
    static final class Rejected extends BadJWTException {

        Rejected(String message) {
            super(message);
        }
    }
}
