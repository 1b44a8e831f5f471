package dev.parley.standalone;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.auth.JwtAuthenticator;
import dev.parley.server.Authorize;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.testing.LocalNodes;
import dev.parley.testing.NodeTestRun;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The real {@code socket.io-client} (Node) against a standalone server that checks HS256 JWTs at
 * every namespace CONNECT: valid, expired, not-yet-valid, wrong-signature, wrong-audience,
 * wrong-issuer, malformed and missing tokens, role checks, expiry, and a foreign Origin, over each
 * transport mode. The tokens are signed here; {@code src/test/node/security/jwt.test.mjs} uses them.
 */
class SecurityClientTest {

    private static final byte[] SECRET = "a-test-secret-of-at-least-256-bits!!".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER = "another-secret-also-256-bits-long!!!".getBytes(StandardCharsets.UTF_8);
    private static ParleyServer parley;
    private static LocalNodes local;
    private static LocalNodes.Node server;

    @BeforeAll
    static void start() throws Exception {
        JwtAuthenticator jwt = JwtAuthenticator.builder().hmacSecret(SECRET).issuer("https://idp.test")
                .audience("parley").clockSkew(Duration.ofSeconds(5)).build();
        parley = new ParleyServer(ParleyOptions.builder().connectAuthenticator(jwt).disconnectOnExpiry(true).build());
        parley.of("/").onConnection(socket -> {
            socket.use(Authorize.event(socket, "admin-only", "admin"));
            socket.on("whoami", (args, ack) -> {
                Map<String, Object> who = new LinkedHashMap<>();
                who.put("name", socket.principal().name());
                who.put("roles", List.copyOf(socket.principal().roles()));
                ack.send(who);
            });
            socket.on("admin-only", (args, ack) -> ack.send("done"));
        });
        parley.of("/admin").use(Authorize.roles("admin"));
        local = LocalNodes.withoutRedis();
        server = local.serve(parley);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        local.close();
    }

    private static String token(byte[] key, String subject, List<String> roles, String issuer, String audience,
                                Instant notBefore, Instant expires) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).issuer(issuer).audience(audience)
                .claim("roles", roles).expirationTime(Date.from(expires));
        if (notBefore != null) {
            claims.notBeforeTime(Date.from(notBefore));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    /** The tokens as JSON, signed now: each test file run gets fresh ones. */
    private static String tokens() throws JOSEException {
        Instant now = Instant.now();
        Instant hour = now.plusSeconds(3600);
        String iss = "https://idp.test";
        Map<String, String> t = new LinkedHashMap<>();
        t.put("valid", token(SECRET, "alice", List.of("admin"), iss, "parley", null, hour));
        t.put("userBob", token(SECRET, "bob", List.of("user"), iss, "parley", null, hour));
        t.put("expired", token(SECRET, "alice", List.of("admin"), iss, "parley", null, now.minusSeconds(60)));
        t.put("notYetValid", token(SECRET, "alice", List.of("admin"), iss, "parley", now.plusSeconds(600), hour));
        t.put("wrongSignature", token(OTHER, "alice", List.of("admin"), iss, "parley", null, hour));
        t.put("wrongAudience", token(SECRET, "alice", List.of("admin"), iss, "other-app", null, hour));
        t.put("wrongIssuer", token(SECRET, "alice", List.of("admin"), "https://evil.test", "parley", null, hour));
        // Valid for the handshake, expired 1.5 s later (past the 5 s skew only for the expiry timer,
        // which uses exp itself).
        t.put("shortLived", token(SECRET, "alice", List.of("admin"), iss, "parley", null, now.plusMillis(1500)));
        StringBuilder json = new StringBuilder("{");
        t.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                .append(v).append('"'));
        return json.append('}').toString();
    }

    @TestFactory
    Stream<DynamicTest> socketIoClientWithJwts() {
        File dir = new File(System.getProperty("parley.nodeTests", "src/test/node"));
        return Stream.of("websocket", "polling", "polling,websocket").map(mode -> DynamicTest.dynamicTest(
                "security/jwt.test.mjs [" + mode + "]", () -> NodeTestRun.run(dir, "security/jwt.test.mjs",
                        Map.of("PARLEY_URL", "http://127.0.0.1:" + server.port(), "PARLEY_TRANSPORTS", mode,
                                "PARLEY_TOKENS", tokens()), 120)));
    }
}
