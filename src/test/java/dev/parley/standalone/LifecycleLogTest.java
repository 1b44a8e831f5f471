package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapter.redis.RedisAdapterFactory;
import dev.parley.adapter.redis.RedisAdapterOptions;
import dev.parley.client.ClientOptions;
import dev.parley.client.ClientSocket;
import dev.parley.client.ParleyClient;
import dev.parley.server.ParleyServer;
import dev.parley.settings.SettingSource;
import dev.parley.settings.Settings;
import dev.parley.settings.StartLine;
import dev.parley.testing.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Parley logs at INFO and above (java.util.logging, a handler on the {@code dev.parley} logger)
 * through a server's life: one line at start with the settings given (secrets masked), one when the
 * Redis adapter connects, loses Redis and gets it back, one at shutdown with what was closed and how
 * long it took; and none for connections and messages.
 */
class LifecycleLogTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Records of INFO and above logged under {@code dev.parley}. */
    static final class Records extends Handler {
        private final List<LogRecord> records = new ArrayList<>();

        Records() {
            setLevel(Level.INFO);
        }

        @Override
        public synchronized void publish(LogRecord r) {
            if (isLoggable(r)) {
                records.add(r);
            }
        }

        synchronized List<String> lines() {
            return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
        }

        synchronized void clear() {
            records.clear();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private final Logger parleyLogger = Logger.getLogger("dev.parley");
    private final Records log = new Records();

    @BeforeEach
    void listen() {
        parleyLogger.addHandler(log);
    }

    @AfterEach
    void stopListening() {
        parleyLogger.removeHandler(log);
    }

    @Test
    void theStartLineShowsTheSettingsGivenWithSecretsMasked() {
        List<SettingSource> given = List.of(SettingSource.of("flag", "--", Map.of("ping-interval", "30000",
                "jwt-secret", "0123456789abcdef0123456789abcdef", "auth", "jwt",
                "redis-url", "redis://parley:hunter2@redis.example:6379/0")));
        ParleyServer parley = new ParleyServer(Main.STANDALONE_DEFAULTS);
        try {
            String line = StartLine.of("http://127.0.0.1:3500/", parley, Settings.given(given));
            assertThat(line).isEqualTo("Parley started at http://127.0.0.1:3500/: adapter memory (connected), "
                    + "1 namespace(s), health /parley/health/{live,ready}, metrics /parley/metrics; settings given: "
                    + "ping-interval=30000 redis-url=redis://parley:***@redis.example:6379/0 auth=jwt jwt-secret=***");
            assertThat(StartLine.of("x", parley, List.of())).endsWith("settings given: none (all defaults)");
        } finally {
            parley.close();
        }
    }

    @Test
    void oneLinePerLifecycleEventAndNoneForConnectionsOrMessages() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            ParleyServer parley = new ParleyServer(Main.STANDALONE_DEFAULTS.toBuilder().adapterFactory(
                    new RedisAdapterFactory(RedisAdapterOptions.of(redis.url())
                            .withRequestTimeout(Duration.ofSeconds(2)))).build());
            parley.onConnection(socket -> {
                socket.on("echo", (args, ack) -> ack.send(args.toArray()));
                socket.on("shout", (args, ack) -> parley.emit("heard", args.get(0)));
            });
            StandaloneServer server = StandaloneServer.start("127.0.0.1", 0,
                    List.of(new StandaloneServer.Mount(parley.engine(), false)), false, HealthPage.of(parley));
            try {
                await().atMost(WAIT).until(() -> log.lines().stream().anyMatch(l -> l.contains("connected")));
                assertThat(log.lines()).containsExactly("INFO Redis at 127.0.0.1:" + redis.port()
                        + " connected: cross-node traffic on");
                log.clear();

                // Connections and messages, on both transports: nothing at INFO.
                URI base = URI.create("http://127.0.0.1:" + server.port());
                for (String transport : List.of("polling", "websocket")) {
                    try (ParleyClient client = ParleyClient.connect(base, ClientOptions.defaults()
                            .transports(List.of(transport)).reconnection(false))) {
                        ClientSocket socket = client.socket("/", null);
                        socket.connected().get(5, TimeUnit.SECONDS);
                        for (int i = 0; i < 20; i++) {
                            socket.emitWithAck("echo", i).get(5, TimeUnit.SECONDS);
                            socket.emit("shout", "hello " + i);
                        }
                    }
                }
                await().atMost(WAIT).until(() -> parley.engine().sessionCount() == 0);
                assertThat(log.lines()).as("logged at INFO and above for connections and messages").isEmpty();

                redis.stop();
                await().atMost(WAIT).until(() -> !log.lines().isEmpty());
                assertThat(log.lines()).singleElement().asString().startsWith("WARNING Redis at 127.0.0.1:"
                        + redis.port() + " is unreachable");
                redis.restart();
                await().atMost(WAIT).until(() -> log.lines().size() == 2);
                assertThat(log.lines().get(1)).isEqualTo("INFO Redis at 127.0.0.1:" + redis.port()
                        + " is reachable again: cross-node traffic resumes");
                log.clear();

                try (ParleyClient client = ParleyClient.connect(base, ClientOptions.defaults().reconnection(false))) {
                    client.socket("/", null).connected().get(5, TimeUnit.SECONDS);
                    parley.close();
                }
                assertThat(log.lines()).singleElement().asString()
                        .matches("INFO Parley stopped: 1 connection\\(s\\) and 1 socket\\(s\\) closed in \\d+ ms "
                                + "\\(shutdown grace 5000 ms\\)");
            } finally {
                parley.close();
                server.close();
            }
        }
    }
}
