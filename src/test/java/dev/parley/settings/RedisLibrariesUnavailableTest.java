package dev.parley.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lettuce and msgpack-core are optional dependencies: Parley's classes in a class loader without
 * one of them, {@code adapter=redis} fails reading the settings (the start), naming the dependency
 * to add, as {@code auth=jwt} does for nimbus-jose-jwt.
 */
class RedisLibrariesUnavailableTest {

    private static URL where(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    /** Parley's classes, JSON-P and Parsson, plus {@code extra}; parent: the platform loader. */
    private static URLClassLoader isolated(URL... extra) {
        List<URL> urls = new ArrayList<>(List.of(where(Settings.class), where(jakarta.json.JsonValue.class),
                where(org.eclipse.parsson.JsonProviderImpl.class)));
        urls.addAll(List.of(extra));
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** {@code Settings.options(ParleyOptions.defaults(), [flags])} inside {@code loader}; unwraps failures. */
    private static Object read(ClassLoader loader, Map<String, String> flags) throws Throwable {
        Class<?> settings = loader.loadClass(Settings.class.getName());
        assertThat(settings).isNotSameAs(Settings.class);
        Class<?> options = loader.loadClass("dev.parley.server.ParleyOptions");
        Class<?> source = loader.loadClass(SettingSource.class.getName());
        Object defaults = options.getMethod("defaults").invoke(null);
        Object flagSource = source.getMethod("of", String.class, String.class, Map.class).invoke(null, "flag", "--", flags);
        try {
            return settings.getMethod("options", options, List.class).invoke(null, defaults, List.of(flagSource));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void withoutLettuceAdapterRedisFailsNamingIt() throws Throwable {
        try (URLClassLoader loader = isolated()) {
            assertThat(read(loader, Map.of("adapter", "memory"))).isNotNull();
            assertThatThrownBy(() -> read(loader, Map.of("adapter", "redis", "redis-url", "redis://127.0.0.1:1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("flag --adapter='redis'")
                    .hasMessageContaining("adapter=redis needs io.lettuce:lettuce-core");
        }
    }

    @Test
    void withoutMsgpackAdapterRedisFailsNamingIt() throws Throwable {
        try (URLClassLoader loader = isolated(where(io.lettuce.core.RedisClient.class))) {
            assertThatThrownBy(() -> read(loader, Map.of("adapter", "redis", "redis-url", "redis://127.0.0.1:1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("adapter=redis needs org.msgpack:msgpack-core");
        }
    }
}
