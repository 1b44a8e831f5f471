package dev.parley.settings;

import dev.parley.adapter.Adapter;
import dev.parley.adapter.AdapterContext;
import dev.parley.adapter.AdapterFactory;
import dev.parley.adapter.redis.RedisAdapterFactory;
import dev.parley.adapter.redis.RedisAdapterOptions;
import dev.parley.adapter.redis.ShardedPubSubAdapterFactory;
import dev.parley.adapter.redis.StreamsAdapterFactory;
import dev.parley.server.ParleyOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The adapter settings, which make one adapter factory together: {@code adapter=memory} (the
 * default: nothing to build), or one of the Redis adapters, which need {@code redis-url} and take
 * {@code redis-key}, {@code redis-request-timeout} and the password of {@code redis-password-file}
 * (when the URL has none): {@code redis} builds a {@link RedisAdapterFactory}, {@code redis-sharded}
 * a {@link ShardedPubSubAdapterFactory}, {@code redis-streams} a {@link StreamsAdapterFactory} whose
 * sessions last {@code recovery-max-disconnection}. Each connects when the server makes its first
 * namespace, not when the settings are read. The {@code redis-*} settings are used only with a
 * Redis adapter.
 */
final class AdapterSettings {

    private String mode = "memory";
    private String url;
    private String passwordFile;
    private String key;
    private Long requestTimeoutMillis;

    void mode(String mode) {
        if (mode.startsWith("redis")) {
            requireRedisLibraries(mode);
        }
        this.mode = mode;
    }

    void url(String url) {
        this.url = url;
    }

    void passwordFile(String file) {
        this.passwordFile = file;
    }

    void key(String key) {
        this.key = key;
    }

    void requestTimeout(long millis) {
        this.requestTimeoutMillis = millis;
    }

    /**
     * Sets the adapter factory the settings make, if any; {@code recoveryMaxDisconnectionMillis} is
     * the server's, which a Streams adapter keeps sessions for (0: none kept, no offsets).
     */
    void applyTo(ParleyOptions.Builder p, long recoveryMaxDisconnectionMillis) {
        if (mode.equals("memory")) {
            return;
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("adapter=" + mode + " needs redis-url (redis://host:port or rediss://...)");
        }
        String redisUrl = RedisAdapterOptions.of(url.trim()).redisUrl(); // refuses what is not redis:// or rediss://
        String password = passwordFile == null ? null : readPassword(Path.of(passwordFile));
        Duration timeout = requestTimeoutMillis == null ? RedisAdapterOptions.DEFAULT_REQUEST_TIMEOUT
                : Duration.ofMillis(requestTimeoutMillis);
        String prefix = key == null ? RedisAdapterOptions.DEFAULT_KEY : key;
        switch (mode) {
            case "redis" -> {
                RedisAdapterOptions options = RedisAdapterOptions.of(redisUrl).withKey(prefix).withRequestTimeout(timeout);
                if (password != null) {
                    options = options.withPassword(password);
                }
                p.adapterFactory(new RedisAdapterFactory(options));
            }
            case "redis-sharded" -> p.adapterFactory(new ConnectingLater(() -> {
                ShardedPubSubAdapterFactory.Builder b = ShardedPubSubAdapterFactory.builder(redisUrl)
                        .channelPrefix(prefix).requestTimeout(timeout);
                if (password != null) {
                    b.password(password);
                }
                return b.build();
            }));
            case "redis-streams" -> p.adapterFactory(new ConnectingLater(() -> {
                StreamsAdapterFactory.Builder b = StreamsAdapterFactory.builder(redisUrl).streamName(prefix)
                        .channelPrefix(prefix).requestTimeout(timeout)
                        .sessionTtl(Duration.ofMillis(recoveryMaxDisconnectionMillis));
                if (password != null) {
                    b.password(password);
                }
                return b.build();
            }));
            default -> throw new IllegalStateException("unknown adapter " + mode);
        }
    }

    /**
     * A factory built (connecting to Redis) when the server makes its first namespace, as
     * {@link RedisAdapterFactory} connects then: reading settings (or {@code --help}) never connects.
     */
    private static final class ConnectingLater implements AdapterFactory {
        private final java.util.function.Supplier<AdapterFactory> make;
        private final Object lock = new Object();
        private AdapterFactory made; // guarded by lock

        ConnectingLater(java.util.function.Supplier<AdapterFactory> make) {
            this.make = make;
        }

        @Override
        public Adapter create(AdapterContext context) {
            AdapterFactory factory;
            synchronized (lock) {
                if (made == null) {
                    made = make.get();
                }
                factory = made;
            }
            return factory.create(context);
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (made != null) {
                    made.close();
                }
            }
        }
    }

    /** The file's first line: a secret file written by hand or by a container runtime ends with a newline. */
    private static String readPassword(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int eol = text.indexOf('\n');
            String password = (eol < 0 ? text : text.substring(0, eol)).strip();
            if (password.isEmpty()) {
                throw new IllegalArgumentException(file + " (redis-password-file) is empty");
            }
            return password;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read redis-password-file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lettuce and msgpack-core are optional dependencies of Parley (a WAR carries them only when it
     * declares them): without them, adapter=redis fails the start naming what to add.
     */
    static void requireRedisLibraries(String mode) {
        require(mode, "io.lettuce.core.RedisClient", "io.lettuce:lettuce-core:7.7.0.RELEASE (with its netty and "
                + "reactor-core dependencies)");
        require(mode, "org.msgpack.core.MessagePack", "org.msgpack:msgpack-core:0.9.8");
    }

    private static void require(String mode, String className, String dependency) {
        try {
            Class.forName(className, false, AdapterSettings.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("adapter=" + mode + " needs " + dependency + ", which is not on the class "
                    + "path: add that dependency to the application (Parley declares it optional, so a WAR carries "
                    + "it only when it asks for it)");
        }
    }
}
