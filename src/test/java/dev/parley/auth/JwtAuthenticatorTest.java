package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthenticatorTest {

    /** Time as the authenticators under test see it; tokens are dated relative to it. */
    private static final Instant NOW = Instant.parse("2031-05-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static byte[] secret;
    private static RSAKey rsa;
    private static ECKey ec;

    @BeforeAll
    static void keys() throws JOSEException {
        secret = randomBytes(32);
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    // --- accepted tokens ---------------------------------------------------------------------

    @Test
    void acceptsHs256FromAuthPayload() throws Exception {
        String token = hs256(claims("alice").claim("roles", List.of("user")).build());

        Identity identity = hmacAuth().authenticate(new TestAuthRequest().payloadToken(token));

        assertThat(identity.name()).isEqualTo("alice");
        assertThat(identity.roles()).containsExactly("user");
        assertThat(identity.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void acceptsRs256WithRsaPublicKey() throws Exception {
        JwtAuthenticator auth = JwtAuthenticator.builder().publicKey(rsa.toRSAPublicKey()).clock(CLOCK).build();
        String token = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, null, claims("bob").build());

        Identity identity = auth.authenticate(new TestAuthRequest().header("Authorization", "Bearer " + token));

        assertThat(identity.name()).isEqualTo("bob");
    }

    @Test
    void acceptsEs256WithEcPublicKey() throws Exception {
        JwtAuthenticator auth = JwtAuthenticator.builder().publicKey(ec.toECPublicKey()).clock(CLOCK).build();
        String token = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, null, claims("carol").build());

        Identity identity = auth.authenticate(new TestAuthRequest().query("token", token));

        assertThat(identity.name()).isEqualTo("carol");
    }

    @Test
    void checksAgainstTheSystemClockUnlessToldOtherwise() throws Exception {
        JwtAuthenticator auth = JwtAuthenticator.builder().hmacSecret(secret).build();
        Instant now = Instant.now();
        String fresh = hs256(claims("dave").expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).build());
        String stale = hs256(claims("dave").expirationTime(Date.from(now.minus(Duration.ofMinutes(5)))).build());

        assertThat(auth.authenticate(new TestAuthRequest().payloadToken(fresh)).name()).isEqualTo("dave");
        assertRefused(auth, new TestAuthRequest().payloadToken(stale), "token expired");
    }

    // --- time ------------------------------------------------------------------------------------

    @Test
    void refusesExpiredToken() throws Exception {
        String token = hs256(claims("alice").expirationTime(Date.from(NOW.minus(Duration.ofMinutes(2)))).build());

        assertRefused(hmacAuth(), new TestAuthRequest().payloadToken(token), "token expired");
    }

    @Test
    void acceptsExpiredTokenWithinClockSkew() throws Exception {
        String token = hs256(claims("alice").expirationTime(Date.from(NOW.minusSeconds(30))).build());
        TestAuthRequest request = new TestAuthRequest().payloadToken(token);

        assertThat(hmacAuth().authenticate(request).name()).isEqualTo("alice");
        JwtAuthenticator strict = JwtAuthenticator.builder().hmacSecret(secret).clock(CLOCK)
                .clockSkew(Duration.ZERO).build();
        assertRefused(strict, request, "token expired");
    }

    @Test
    void refusesTokenNotYetValid() throws Exception {
        String early = hs256(claims("alice").notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(2)))).build());
        String almost = hs256(claims("alice").notBeforeTime(Date.from(NOW.plusSeconds(30))).build());

        assertRefused(hmacAuth(), new TestAuthRequest().payloadToken(early), "token not yet valid");
        // nbf 30 s ahead is within the default 60 s skew.
        assertThat(hmacAuth().authenticate(new TestAuthRequest().payloadToken(almost)).name()).isEqualTo("alice");
    }

    @Test
    void refusesTokenWithoutExpiry() throws Exception {
        String token = hs256(new JWTClaimsSet.Builder().subject("alice").build());

        assertRefused(hmacAuth(), new TestAuthRequest().payloadToken(token), "token has no expiry");
    }

    // --- signatures and algorithms ---------------------------------------------------------------

    @Test
    void refusesTokenSignedWithAnotherKey() throws Exception {
        String otherSecret = sign(new MACSigner(randomBytes(32)), JWSAlgorithm.HS256, null, claims("eve").build());
        assertRefused(hmacAuth(), new TestAuthRequest().payloadToken(otherSecret), "invalid signature");

        RSAKey otherRsa = new RSAKeyGenerator(2048).generate();
        String otherKey = sign(new RSASSASigner(otherRsa), JWSAlgorithm.RS256, null, claims("eve").build());
        JwtAuthenticator rsaAuth = JwtAuthenticator.builder().publicKey(rsa.toRSAPublicKey()).clock(CLOCK).build();
        assertRefused(rsaAuth, new TestAuthRequest().payloadToken(otherKey), "invalid signature");
    }

    @Test
    void refusesHs256TokenMacedWithTheRsaPublicKey() throws Exception {
        // The classic algorithm confusion: the attacker knows the public key and uses its bytes
        // as an HMAC secret, hoping the server verifies HS256 with whatever key it holds.
        byte[] publicKeyBytes = rsa.toRSAPublicKey().getEncoded();
        String forged = sign(new MACSigner(publicKeyBytes), JWSAlgorithm.HS256, null, claims("eve").build());
        JwtAuthenticator rsaAuth = JwtAuthenticator.builder().publicKey(rsa.toRSAPublicKey()).clock(CLOCK).build();

        assertRefused(rsaAuth, new TestAuthRequest().payloadToken(forged), "invalid signature");
    }

    @Test
    void refusesUnsignedToken() throws Exception {
        String unsigned = new PlainJWT(claims("eve").build()).serialize();
        assertThat(unsigned).startsWith(Base64URL.encode("{\"alg\":\"none\"}").toString());

        assertRefused(hmacAuth(), new TestAuthRequest().payloadToken(unsigned), "invalid signature");
    }

    @Test
    void refusesAlgorithmOtherThanTheKeysOwn() throws Exception {
        // A 512-bit secret could sign HS512, but the authenticator was set up for HS256 only.
        byte[] longSecret = randomBytes(64);
        String hs512 = sign(new MACSigner(longSecret), JWSAlgorithm.HS512, null, claims("eve").build());
        JwtAuthenticator auth = JwtAuthenticator.builder().hmacSecret(longSecret).clock(CLOCK).build();

        assertRefused(auth, new TestAuthRequest().payloadToken(hs512), "invalid signature");
    }

    // --- issuer and audience ---------------------------------------------------------------------

    @Test
    void refusesWrongAudience() throws Exception {
        JwtAuthenticator auth = JwtAuthenticator.builder().hmacSecret(secret).clock(CLOCK)
                .audience("chat", "chat-admin").build();
        String billing = hs256(claims("alice").audience("billing").build());
        String none = hs256(claims("alice").build());
        String several = hs256(claims("alice").audience(List.of("billing", "chat")).build());

        assertRefused(auth, new TestAuthRequest().payloadToken(billing), "wrong audience");
        assertRefused(auth, new TestAuthRequest().payloadToken(none), "wrong audience");
        assertThat(auth.authenticate(new TestAuthRequest().payloadToken(several)).name()).isEqualTo("alice");
    }

    @Test
    void refusesWrongIssuer() throws Exception {
        JwtAuthenticator auth = JwtAuthenticator.builder().hmacSecret(secret).clock(CLOCK)
                .issuer("https://idp.example/").build();
        String other = hs256(claims("alice").issuer("https://evil.example/").build());
        String none = hs256(claims("alice").build());
        String right = hs256(claims("alice").issuer("https://idp.example/").build());

        assertRefused(auth, new TestAuthRequest().payloadToken(other), "wrong issuer");
        assertRefused(auth, new TestAuthRequest().payloadToken(none), "wrong issuer");
        assertThat(auth.authenticate(new TestAuthRequest().payloadToken(right)).name()).isEqualTo("alice");
    }

    // --- finding the token -----------------------------------------------------------------------

    @Test
    void refusesRequestWithoutToken() {
        JwtAuthenticator auth = hmacAuth();

        assertRefused(auth, new TestAuthRequest(), "missing token");
        assertRefused(auth, new TestAuthRequest().header("Authorization", "Basic YWxpY2U6c2VjcmV0"), "missing token");
        assertRefused(auth, new TestAuthRequest().header("Authorization", "Bearer "), "missing token");
        assertRefused(auth, new TestAuthRequest().payload(Json.createObjectBuilder().add("token", 42).build()),
                "missing token");
    }

    @Test
    void refusesMalformedTokenWithoutQuotingIt() throws Exception {
        String notJsonPayload = Base64URL.encode("{\"alg\":\"HS256\"}") + "." + Base64URL.encode("not json") + "."
                + Base64URL.encode("sig");
        for (String token : List.of("garbage-token", "a.b.c", notJsonPayload)) {
            AuthenticationException e = refusal(hmacAuth(), new TestAuthRequest().payloadToken(token));
            assertThat(e.getMessage()).isEqualTo("malformed token");
            assertThat(e.getMessage()).doesNotContain(token);
            assertThat(e.getCause()).isNull();
        }
    }

    @Test
    void payloadBeatsHeaderBeatsQuery() throws Exception {
        String fromPayload = hs256(claims("payload-user").build());
        String fromHeader = hs256(claims("header-user").build());
        String fromQuery = hs256(claims("query-user").build());
        JwtAuthenticator auth = hmacAuth();

        TestAuthRequest all = new TestAuthRequest().payloadToken(fromPayload)
                .header("Authorization", "Bearer " + fromHeader).query("token", fromQuery);
        TestAuthRequest headerAndQuery = new TestAuthRequest()
                .header("authorization", "bearer " + fromHeader).query("token", fromQuery);
        TestAuthRequest blankPayload = new TestAuthRequest().payloadToken("  ").query("token", fromQuery);

        assertThat(auth.authenticate(all).name()).isEqualTo("payload-user");
        assertThat(auth.authenticate(headerAndQuery).name()).isEqualTo("header-user");
        assertThat(auth.authenticate(blankPayload).name()).isEqualTo("query-user");
    }

    // --- identity ------------------------------------------------------------------------------

    @Test
    void rolesFromArrayOrSpaceSeparatedString() throws Exception {
        String array = hs256(claims("alice").claim("roles", List.of("admin", "user")).build());
        String scope = hs256(claims("alice").claim("scope", " chat:read  chat:write ").build());
        String none = hs256(claims("alice").build());
        JwtAuthenticator scoped = JwtAuthenticator.builder().hmacSecret(secret).clock(CLOCK).rolesClaim("scope")
                .build();

        assertThat(hmacAuth().authenticate(new TestAuthRequest().payloadToken(array)).roles())
                .containsExactlyInAnyOrder("admin", "user");
        assertThat(scoped.authenticate(new TestAuthRequest().payloadToken(scope)).roles())
                .containsExactlyInAnyOrder("chat:read", "chat:write");
        assertThat(hmacAuth().authenticate(new TestAuthRequest().payloadToken(none)).roles()).isEmpty();
    }

    @Test
    void nameComesFromTheNameClaim() throws Exception {
        String token = hs256(claims("id-123").claim("preferred_username", "alice").build());
        String anonymous = hs256(new JWTClaimsSet.Builder()
                .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(5)))).build());
        JwtAuthenticator byUsername = JwtAuthenticator.builder().hmacSecret(secret).clock(CLOCK)
                .nameClaim("preferred_username").build();

        assertThat(byUsername.authenticate(new TestAuthRequest().payloadToken(token)).name()).isEqualTo("alice");
        assertRefused(hmacAuth(), new TestAuthRequest().payloadToken(anonymous), "token has no subject");
        assertRefused(byUsername, new TestAuthRequest().payloadToken(anonymous), "token has no subject");
    }

    @Test
    void claimsArePlainJavaValues() throws Exception {
        Instant issued = NOW.minusSeconds(10);
        String token = hs256(claims("alice")
                .issueTime(Date.from(issued))
                .claim("level", 7)
                .claim("ratio", 0.5)
                .claim("verified", true)
                .claim("groups", List.of("a", "b"))
                .claim("org", Map.of("id", "acme", "seats", 12))
                .build());

        Map<String, Object> claims = hmacAuth().authenticate(new TestAuthRequest().payloadToken(token)).claims();

        assertThat(claims).containsEntry("sub", "alice")
                .containsEntry("iat", issued.getEpochSecond())
                .containsEntry("exp", NOW.plus(Duration.ofMinutes(5)).getEpochSecond())
                .containsEntry("level", 7L)
                .containsEntry("ratio", 0.5)
                .containsEntry("verified", true)
                .containsEntry("groups", List.of("a", "b"))
                .containsEntry("org", Map.of("id", "acme", "seats", 12L));
        assertThat(claims.get("org").getClass().getName()).doesNotContain("nimbusds");
        assertThatThrownBy(() -> ((Map<?, ?>) claims.get("org")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // --- building ------------------------------------------------------------------------------

    @Test
    void refusesShortHmacSecretAtBuild() {
        JwtAuthenticator.Builder builder = JwtAuthenticator.builder().hmacSecret(randomBytes(31));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("248 bits")
                .hasMessageContaining("at least 256");
    }

    @Test
    void requiresExactlyOneKeySource() {
        assertThatThrownBy(() -> JwtAuthenticator.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one key source");
        assertThatThrownBy(() -> JwtAuthenticator.builder().hmacSecret(secret).publicKey(rsa.toRSAPublicKey()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 set");
    }

    @Test
    void refusesWeakOrUnsupportedPublicKeysAtBuild() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(1024);
        RSAPublicKey shortRsa = (RSAPublicKey) rsaGenerator.generateKeyPair().getPublic();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp384r1"));
        ECPublicKey p384 = (ECPublicKey) ecGenerator.generateKeyPair().getPublic();

        assertThatThrownBy(() -> JwtAuthenticator.builder().publicKey(shortRsa).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024 bits");
        assertThatThrownBy(() -> JwtAuthenticator.builder().publicKey(p384).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
    }

    // --- JWKS --------------------------------------------------------------------------------------

    @Test
    void verifiesWithKeysFromJwksFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jwks.json");
        // Private parts in the file must be ignored, and a symmetric key must not enable HS256.
        OctetSequenceKey oct = new OctetSequenceKey.Builder(secret).keyID("oct-1").build();
        Files.writeString(file, new JWKSet(List.of(rsa, ec, oct)).toString(false));
        JwtAuthenticator auth = JwtAuthenticator.builder().jwksFile(file).clock(CLOCK).build();
        Files.delete(file);

        String byRsa = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID(), claims("rsa-user").build());
        String byEc = sign(new ECDSASigner(ec), JWSAlgorithm.ES256, ec.getKeyID(), claims("ec-user").build());
        String byOct = sign(new MACSigner(secret), JWSAlgorithm.HS256, "oct-1", claims("oct-user").build());

        // Deleted above: these prove the file was read once, at build.
        assertThat(auth.authenticate(new TestAuthRequest().payloadToken(byRsa)).name()).isEqualTo("rsa-user");
        assertThat(auth.authenticate(new TestAuthRequest().payloadToken(byEc)).name()).isEqualTo("ec-user");
        assertRefused(auth, new TestAuthRequest().payloadToken(byOct), "invalid signature");
    }

    @Test
    void refusesJwksFileWithoutPublicKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret.json");
        Files.writeString(file, new JWKSet(new OctetSequenceKey.Builder(secret).build()).toString(false),
                StandardCharsets.UTF_8);

        assertThatThrownBy(() -> JwtAuthenticator.builder().jwksFile(file).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no public keys");
    }

    @Test
    void fetchesJwksUrlOnceAndAgainForAnUnknownKid() throws Exception {
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        RSAKey unknown = new RSAKeyGenerator(2048).keyID("rsa-3").generate();
        try (JwksServer jwks = JwksServer.start(new JWKSet(rsa.toPublicJWK()))) {
            JwtAuthenticator auth = JwtAuthenticator.builder().jwksUrl(jwks.uri(), Duration.ofMinutes(10))
                    .clock(CLOCK).build();
            assertThat(jwks.fetches()).as("fetched lazily, not at build").isZero();

            String first = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID(), claims("one").build());
            assertThat(auth.authenticate(new TestAuthRequest().payloadToken(first)).name()).isEqualTo("one");
            assertThat(auth.authenticate(new TestAuthRequest().payloadToken(first)).name()).isEqualTo("one");
            assertThat(jwks.fetches()).as("second authentication served from the cache").isEqualTo(1);

            jwks.serve(new JWKSet(rotated.toPublicJWK()));
            String afterRotation = sign(new RSASSASigner(rotated), JWSAlgorithm.RS256, rotated.getKeyID(),
                    claims("two").build());
            assertThat(auth.authenticate(new TestAuthRequest().payloadToken(afterRotation)).name()).isEqualTo("two");
            assertThat(jwks.fetches()).as("unknown kid refetched the set").isEqualTo(2);

            String byUnknown = sign(new RSASSASigner(unknown), JWSAlgorithm.RS256, unknown.getKeyID(),
                    claims("three").build());
            assertRefused(auth, new TestAuthRequest().payloadToken(byUnknown), "invalid signature");
            assertThat(jwks.fetches()).as("rate limit: no third fetch so soon").isEqualTo(2);
        }
    }

    @Test
    void refusesWrongAlgorithmBeforeFetchingJwks() throws Exception {
        try (JwksServer jwks = JwksServer.start(new JWKSet(rsa.toPublicJWK()))) {
            JwtAuthenticator auth = JwtAuthenticator.builder().jwksUrl(jwks.uri(), Duration.ofMinutes(10))
                    .clock(CLOCK).build();
            String hs = sign(new MACSigner(secret), JWSAlgorithm.HS256, rsa.getKeyID(), claims("eve").build());

            assertRefused(auth, new TestAuthRequest().payloadToken(hs), "invalid signature");
            assertThat(jwks.fetches()).isZero();
        }
    }

    @Test
    void unreachableJwksIsReportedAsSuch() throws Exception {
        try (JwksServer jwks = JwksServer.start(new JWKSet(rsa.toPublicJWK()))) {
            jwks.failWith(503);
            JwtAuthenticator auth = JwtAuthenticator.builder().jwksUrl(jwks.uri(), Duration.ofMinutes(10))
                    .clock(CLOCK).build();
            String token = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID(), claims("one").build());

            AuthenticationException e = refusal(auth, new TestAuthRequest().payloadToken(token));

            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).isEqualTo("cannot verify token");
            assertThat(e.getCause()).as("kept for the server's log").isNotNull();
            assertThat(jwks.fetches()).isEqualTo(1);
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static JwtAuthenticator hmacAuth() {
        return JwtAuthenticator.builder().hmacSecret(secret).clock(CLOCK).build();
    }

    /** Claims with a subject, expiring five minutes after {@link #NOW}. */
    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder().subject(subject).expirationTime(Date.from(NOW.plus(Duration.ofMinutes(5))));
    }

    private static String hs256(JWTClaimsSet claims) throws JOSEException {
        return sign(new MACSigner(secret), JWSAlgorithm.HS256, null, claims);
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, String kid, JWTClaimsSet claims)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static AuthenticationException refusal(JwtAuthenticator auth, AuthRequest request) {
        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> auth.authenticate(request));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private static void assertRefused(JwtAuthenticator auth, AuthRequest request, String message) {
        AuthenticationException e = refusal(auth, request);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.status()).isEqualTo(AuthenticationException.UNAUTHORIZED);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
