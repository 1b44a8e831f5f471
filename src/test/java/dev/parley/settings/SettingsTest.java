package dev.parley.settings;

import java.util.concurrent.TimeUnit;
import dev.parley.server.ParleyServer;
import dev.parley.testing.RedisServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.adapter.AdapterFactory;
import dev.parley.adapter.redis.RedisAdapterFactory;
import dev.parley.adapter.redis.RedisAdapterOptions;
import dev.parley.server.AdminUiOptions;
import dev.parley.server.ParleyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static ParleyOptions read(SettingSource... sources) {
        return Settings.options(ParleyOptions.defaults(), List.of(sources));
    }

    @Test
    void readsEverySetting() {
        ParleyOptions o = read(SettingSource.of("context parameter", "parley.", Map.of("path", "/rt",
                "ping-interval", "1000", "ping-timeout", "2000", "upgrade-timeout", "3000", "max-payload", "4000",
                "connect-timeout", "5000", "transports", "websocket", "allowed-origins", "https://a.example, https://b.example",
                "serve-client", "false", "adapter", "memory")));
        assertThat(o.engine().path()).isEqualTo("/rt/");
        assertThat(o.engine().pingIntervalMillis()).isEqualTo(1000);
        assertThat(o.engine().pingTimeoutMillis()).isEqualTo(2000);
        assertThat(o.engine().upgradeTimeoutMillis()).isEqualTo(3000);
        assertThat(o.engine().maxPayload()).isEqualTo(4000);
        assertThat(o.connectTimeoutMillis()).isEqualTo(5000);
        assertThat(o.engine().transports()).containsExactly("websocket");
        assertThat(o.engine().allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(o.serveClient()).isFalse();
    }

    @Test
    void theAdminUiIsOffByDefaultAndNeedsItsAuthenticationSaid() {
        assertThat(read(SettingSource.of("flag", "--", Map.of())).adminUi()).isEqualTo(AdminUiOptions.OFF);
        String hash = "$2a$04$eMrlWsy3oNlaAhz2BfYIEOcpBHnfN7RlttaMj5ngQD2B9ID4Sjd4O";
        AdminUiOptions basic = read(SettingSource.of("flag", "--", Map.of("admin-ui", "true", "admin-ui-auth", "basic",
                "admin-ui-username", "ops", "admin-ui-password-hash", hash, "admin-ui-readonly", "true",
                "admin-ui-mode", "production", "admin-ui-path", "/ops/"))).adminUi();
        assertThat(basic).isEqualTo(new AdminUiOptions(true, "basic", "ops", hash, true, true, "/ops/"));
        assertThat(read(SettingSource.of("flag", "--", Map.of("admin-ui", "true", "admin-ui-auth", "none")))
                .adminUi()).isEqualTo(new AdminUiOptions(true, "none", null, null, false, false, "/admin-ui/"));
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("admin-ui", "true"))))
                .hasMessageContaining("basic (a username and a bcrypt hash) or none");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("admin-ui", "true", "admin-ui-auth",
                "basic", "admin-ui-username", "ops", "admin-ui-password-hash", "changeit"))))
                .hasMessageContaining("must be a valid bcrypt hash");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("admin-ui", "true", "admin-ui-auth",
                "none", "admin-ui-path", "/ops")))).hasMessageContaining("start and end with '/'");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("admin-ui-mode", "debug"))))
                .hasMessageContaining("unknown admin-ui-mode 'debug'");
    }

    @Test
    void recoveryIsOffByDefaultAndItsThreeSettingsAreRead() {
        ParleyOptions defaults = read();
        assertThat(defaults.recoveryEnabled()).isFalse();
        assertThat(defaults.recoveryMaxDisconnectionMillis()).isZero();
        assertThat(defaults.recoverySkipMiddlewares()).isTrue();
        assertThat(defaults.recoveryMaxPackets()).isEqualTo(10_000);
        ParleyOptions o = read(SettingSource.of("context parameter", "parley.", Map.of("recovery-max-disconnection",
                "120000", "recovery-skip-middlewares", "false", "recovery-max-packets", "50")));
        assertThat(o.recoveryEnabled()).isTrue();
        assertThat(o.recoveryMaxDisconnectionMillis()).isEqualTo(120_000);
        assertThat(o.recoverySkipMiddlewares()).isFalse();
        assertThat(o.recoveryMaxPackets()).isEqualTo(50);
        // toBuilder keeps them, as a runtime's base options pass through it
        assertThat(o.toBuilder().build().recoveryMaxPackets()).isEqualTo(50);
        // 0 turns it off again; negative is refused, naming the setting
        assertThat(read(SettingSource.of("flag", "--", Map.of("recovery-max-disconnection", "0")),
                SettingSource.of("context parameter", "parley.", Map.of("recovery-max-disconnection", "5")))
                .recoveryEnabled()).isFalse();
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("recovery-max-disconnection", "-1"))))
                .hasMessage("flag --recovery-max-disconnection='-1': must not be negative");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("recovery-max-packets", "0"))))
                .hasMessage("flag --recovery-max-packets='0': must be positive");
        assertThat(SettingSource.environmentName("recovery-max-disconnection"))
                .isEqualTo("PARLEY_RECOVERY_MAX_DISCONNECTION");
    }

    /**
     * nimbus-jose-jwt is optional: a WAR that does not declare it and sets auth=jwt fails its start
     * naming the dependency. Proven with Parley loaded where nimbus is not (the test class path without it).
     */
    @Test
    void authJwtWithoutTheJwtLibraryFailsNamingTheDependency() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<java.net.URL> urls = new java.util.ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.contains("nimbus")) {
                urls.add(java.nio.file.Path.of(entry).toUri().toURL());
            }
        }
        try (java.net.URLClassLoader withoutNimbus = new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("com.nimbusds.jwt.SignedJWT", false, withoutNimbus))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> settings = withoutNimbus.loadClass(Settings.class.getName());
            Class<?> options = withoutNimbus.loadClass(ParleyOptions.class.getName());
            Class<?> sources = withoutNimbus.loadClass(SettingSource.class.getName());
            Object source = sources.getMethod("of", String.class, String.class, Map.class).invoke(null,
                    "context parameter", "parley.", Map.of("auth", "jwt", "jwt-secret", "0123456789abcdef0123456789abcdef"));
            Object defaults = options.getMethod("defaults").invoke(null);
            assertThatThrownBy(() -> settings.getMethod("options", options, List.class).invoke(null, defaults,
                    List.of(source)))
                    .cause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("auth=jwt needs nimbus-jose-jwt")
                    .hasMessageContaining("com.nimbusds:nimbus-jose-jwt:10.10");
        }
        // with it, the same settings are fine
        assertThat(read(SettingSource.of("context parameter", "parley.", Map.of("auth", "jwt",
                "jwt-secret", "0123456789abcdef0123456789abcdef"))).connectAuthenticator()).isNotNull();
    }

    @Test
    void attachmentLimitsAreSettingsWhoseByteDefaultFollowsCountAndMaxPayload() {
        ParleyOptions defaults = read(SettingSource.of("flag", "--", Map.of()));
        assertThat(defaults.maxAttachments()).isEqualTo(10);
        assertThat(defaults.maxAttachmentBytes()).isEqualTo(10L * 1_000_000);
        assertThat(defaults.attachmentTimeoutMillis()).isEqualTo(30_000);

        ParleyOptions derived = read(SettingSource.of("flag", "--", Map.of("max-attachments", "3",
                "max-payload", "2000")));
        assertThat(derived.maxAttachmentBytes()).isEqualTo(6000);

        ParleyOptions set = read(SettingSource.of("flag", "--", Map.of("max-attachments", "4",
                "max-attachment-bytes", "5000", "attachment-timeout", "600")));
        assertThat(set.maxAttachments()).isEqualTo(4);
        assertThat(set.maxAttachmentBytes()).isEqualTo(5000);
        assertThat(set.attachmentTimeoutMillis()).isEqualTo(600);
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("attachment-timeout", "0"))))
                .hasMessage("flag --attachment-timeout='0': must be positive");
    }

    @Test
    void readsTheHttpTimeoutsOfTheStandaloneServer() {
        assertThat(ParleyOptions.defaults().engine().httpHeaderTimeoutMillis()).isEqualTo(20_000);
        assertThat(ParleyOptions.defaults().engine().httpKeepAliveTimeoutMillis()).isEqualTo(5_000);
        ParleyOptions o = read(SettingSource.of("flag", "--", Map.of("http-header-timeout", "1500",
                "http-keep-alive-timeout", "700")));
        assertThat(o.engine().httpHeaderTimeoutMillis()).isEqualTo(1500);
        assertThat(o.engine().httpKeepAliveTimeoutMillis()).isEqualTo(700);
        assertThat(o.engine().toBuilder().build().httpKeepAliveTimeoutMillis()).isEqualTo(700);
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("http-keep-alive-timeout", "0"))))
                .hasMessage("flag --http-keep-alive-timeout='0': must be positive");
    }

    @Test
    void httpBodyTimeoutIsASettingInMillisecondsDefaulting60Seconds() {
        assertThat(read().engine().httpBodyTimeoutMillis()).isEqualTo(60_000);
        assertThat(read(SettingSource.of("context parameter", "parley.", Map.of("http-body-timeout", "1500")))
                .engine().httpBodyTimeoutMillis()).isEqualTo(1500);
        assertThat(Settings.names()).contains("http-body-timeout");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("http-body-timeout", "0"))))
                .hasMessage("flag --http-body-timeout='0': must be positive");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("http-body-timeout", "1m"))))
                .hasMessage("flag --http-body-timeout='1m': must be a whole number");
    }

    @Test
    void theFirstSourceThatHasASettingWins() {
        ParleyOptions o = read(SettingSource.of("system property", "parley.", Map.of("ping-interval", "111")),
                SettingSource.of("context parameter", "parley.", Map.of("ping-interval", "222", "ping-timeout", "333")));
        assertThat(o.engine().pingIntervalMillis()).isEqualTo(111);
        assertThat(o.engine().pingTimeoutMillis()).isEqualTo(333);
        assertThat(o.engine().maxPayload()).isEqualTo(1_000_000);
    }

    @Test
    void invalidValuesNameTheSettingAndItsSource() {
        assertThatThrownBy(() -> read(SettingSource.of("context parameter", "parley.", Map.of("ping-interval", "soon"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("context parameter parley.ping-interval='soon': must be a whole number");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("max-payload", "-1"))))
                .hasMessage("flag --max-payload='-1': must be positive");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("transports", "carrier-pigeon"))))
                .hasMessageContaining("unknown transport 'carrier-pigeon'");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("adapter", "carrier-pigeon"))))
                .hasMessageContaining("unknown adapter 'carrier-pigeon'");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("serve-client", "yes"))))
                .hasMessageContaining("must be true or false");
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscores() {
        assertThat(SettingSource.environmentName("ping-interval")).isEqualTo("PARLEY_PING_INTERVAL");
        assertThat(SettingSource.environment().describe("max-payload")).isEqualTo("environment variable PARLEY_MAX_PAYLOAD");
        assertThat(SettingSource.systemProperties().describe("path")).isEqualTo("system property parley.path");
    }

    @Test
    void systemPropertiesAreASource() {
        System.setProperty("parley.connect-timeout", "777");
        try {
            assertThat(read(SettingSource.systemProperties()).connectTimeoutMillis()).isEqualTo(777);
        } finally {
            System.clearProperty("parley.connect-timeout");
        }
    }

    @Test
    void aBurstLeftUnsetIsOneSecondsWorthOfTheRateTheSettingsGive() {
        ParleyOptions o = read(SettingSource.of("flag", "--", Map.of("event-rate", "10", "handshake-rate", "5")));
        assertThat(o.eventBurst()).isEqualTo(10);
        assertThat(o.maxRefusedEvents()).isEqualTo(20);
        assertThat(o.engine().handshakeBurstPerAddress()).isEqualTo(5);
        // A burst given in code stays when only the rate is set.
        ParleyOptions base = ParleyOptions.builder().eventRate(5, 40).build();
        assertThat(Settings.options(base, List.of(SettingSource.of("flag", "--", Map.of("event-rate", "10"))))
                .eventBurst()).isEqualTo(40);
        ParleyOptions both = read(SettingSource.of("flag", "--", Map.of("event-rate", "10", "event-burst", "3")));
        assertThat(both.eventBurst()).isEqualTo(3);
    }

    @Test
    void derivedDefaultsFollowTheSettingsTheyDeriveFrom() {
        ParleyOptions o = Settings.options(ParleyOptions.defaults(), List.of(SettingSource.of("flag", "--",
                Map.of("max-payload", "2000000"))));
        assertThat(o.engine().maxBufferedBytes()).isEqualTo(8_000_000);
        assertThat(o.maxAttachmentBytes()).isEqualTo(20_000_000);
        assertThat(ParleyOptions.defaults().engine().maxBufferedBytes()).isEqualTo(4L << 20);
    }

    @Test
    void builderRefusalsNameTheSettingAndItsSourceToo() {
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("transports", "polling,carrier-pigeon"))))
                .hasMessage("flag --transports='polling,carrier-pigeon': unknown transport 'carrier-pigeon' "
                        + "(polling, websocket)");
        assertThatThrownBy(() -> read(SettingSource.of("context parameter", "parley.", Map.of("auth", "ldap"))))
                .hasMessage("context parameter parley.auth='ldap': unknown auth 'ldap' (none, jwt, container)");
    }

    @Test
    void jwtSettingsAreUsedOnlyWithAuthJwt() {
        // With auth=none a key file is not read at all (it may not exist on this machine).
        assertThat(read(SettingSource.of("flag", "--", Map.of("jwt-public-key", "/nonexistent.pem")))
                .connectAuthenticator()).isNull();
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("auth", "jwt",
                "jwt-public-key", "/nonexistent.pem"))))
                .hasMessageStartingWith("flag --jwt-public-key='/nonexistent.pem': cannot read /nonexistent.pem");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("auth", "jwt"))))
                .hasMessage("auth=jwt needs exactly one of jwt-secret, jwt-public-key, jwt-jwks");
    }

    @Test
    void everySettingHasADocAndOneDeclaration() {
        assertThat(Settings.names()).doesNotHaveDuplicates();
        for (Setting<?> s : Settings.ALL) {
            assertThat(s.name()).matches("[a-z]+(-[a-z]+)*");
            assertThat(s.doc()).as(s.name()).isNotBlank();
        }
    }

    @Test
    void adapterRedisBuildsARedisAdapterFactoryFromTheRedisSettings() throws Exception {
        Path secret = Files.createTempFile("redis-password", ".txt");
        try {
            Files.writeString(secret, "s3cret\n");
            // nothing listens there: the factory connects only when the server makes its first namespace
            ParleyOptions o = read(SettingSource.of("context parameter", "parley.", Map.of("adapter", "redis",
                    "redis-url", "redis://127.0.0.1:1", "redis-key", "chat", "redis-request-timeout", "1200",
                    "redis-password-file", secret.toString())));
            assertThat(o.adapterFactory()).isInstanceOf(RedisAdapterFactory.class);
            RedisAdapterOptions r = ((RedisAdapterFactory) o.adapterFactory()).options();
            assertThat(r.redisUrl()).isEqualTo("redis://127.0.0.1:1");
            assertThat(r.key()).isEqualTo("chat");
            assertThat(r.requestTimeout()).isEqualTo(Duration.ofMillis(1200));
            assertThat(r.password()).isEqualTo("s3cret");
            assertThat(r.toString()).doesNotContain("s3cret");
            o.adapterFactory().close();
        } finally {
            Files.delete(secret);
        }
        RedisAdapterOptions defaults = ((RedisAdapterFactory) read(SettingSource.of("flag", "--",
                Map.of("adapter", "redis", "redis-url", "rediss://u:p@127.0.0.1:1"))).adapterFactory()).options();
        assertThat(defaults.key()).isEqualTo("socket.io");
        assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(defaults.toString()).contains("rediss://***@127.0.0.1:1");
        assertThat(read(SettingSource.of("flag", "--", Map.of("redis-url", "redis://127.0.0.1:1"))).adapterFactory())
                .as("redis-* settings without adapter=redis change nothing").isSameAs(AdapterFactory.IN_MEMORY);
    }

    @Test
    void adapterRedisNeedsAUsableUrl() {
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("adapter", "redis"))))
                .hasMessageContaining("adapter=redis needs redis-url");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("adapter", "redis",
                "redis-url", "http://127.0.0.1:6379")))).hasMessageContaining("starts with redis:// or rediss://");
        assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("adapter", "redis",
                "redis-url", "redis://127.0.0.1:1", "redis-password-file", "/nonexistent/redis-secret"))))
                .hasMessageContaining("cannot read redis-password-file");
    }

    @Test
    void theShardedAndStreamsAdaptersAreBuiltFromTheSameSettingsAndConnectWithTheFirstNamespace() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            for (String mode : List.of("redis-sharded", "redis-streams")) {
                ParleyOptions options = read(SettingSource.of("flag", "--", Map.of("adapter", mode,
                        "redis-url", redis.url(), "redis-key", "app-" + mode, "redis-request-timeout", "2000",
                        "recovery-max-disconnection", "60000")));
                assertThat(options.adapterFactory()).as(mode).isNotSameAs(AdapterFactory.IN_MEMORY);
                ParleyServer server = new ParleyServer(options);
                try {
                    assertThat(server.serverCount().get(10, TimeUnit.SECONDS)).as(mode + ": this node alone").isEqualTo(1);
                } finally {
                    server.close();
                }
            }
            assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("adapter", "redis-streams"))))
                    .hasMessageContaining("adapter=redis-streams needs redis-url");
            assertThatThrownBy(() -> read(SettingSource.of("flag", "--", Map.of("adapter", "redis-sharded",
                    "redis-url", "http://127.0.0.1:6379")))).hasMessageContaining("starts with redis:// or rediss://");
        }
    }
}
