package dev.parley.settings;

import dev.parley.adapter.redis.RedisAdapterFactory;
import dev.parley.adapter.redis.RedisAdapterOptions;
import dev.parley.server.ParleyOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The adapter settings, which make one adapter factory together: {@code adapter=memory} (the
 * default: nothing to build) or {@code adapter=redis}, which needs {@code redis-url} and builds a
 * {@link RedisAdapterFactory} (connecting when the server makes its first namespace) with
 * {@code redis-key}, {@code redis-request-timeout} and the password of {@code redis-password-file}
 * (when the URL has none). The {@code redis-*} settings are used only with {@code adapter=redis}.
 */
final class AdapterSettings {

    private String mode = "memory";
    private String url;
    private String passwordFile;
    private String key;
    private Long requestTimeoutMillis;

    void mode(String mode) {
        if (mode.equals("redis")) {
            requireRedisLibraries();
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

    /** Sets the adapter factory the settings make, if any. */
    void applyTo(ParleyOptions.Builder p) {
        if (!mode.equals("redis")) {
            return;
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("adapter=redis needs redis-url (redis://host:port or rediss://...)");
        }
        RedisAdapterOptions options = RedisAdapterOptions.of(url.trim());
        if (key != null) {
            options = options.withKey(key);
        }
        if (requestTimeoutMillis != null) {
            options = options.withRequestTimeout(Duration.ofMillis(requestTimeoutMillis));
        }
        if (passwordFile != null) {
            options = options.withPassword(readPassword(Path.of(passwordFile)));
        }
        p.adapterFactory(new RedisAdapterFactory(options));
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
    static void requireRedisLibraries() {
        require("io.lettuce.core.RedisClient", "io.lettuce:lettuce-core:7.7.0.RELEASE (with its netty and "
                + "reactor-core dependencies)");
        require("org.msgpack.core.MessagePack", "org.msgpack:msgpack-core:0.9.8");
    }

    private static void require(String className, String dependency) {
        try {
            Class.forName(className, false, AdapterSettings.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("adapter=redis needs " + dependency + ", which is not on the class "
                    + "path: add that dependency to the application (Parley declares it optional, so a WAR carries "
                    + "it only when it asks for it)");
        }
    }
}
