package dev.parley.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency: in a class loader with Parley's classes and the Jakarta APIs
 * but no Micrometer, the WAR bootstrap still loads and links (it names the metrics servlet only
 * behind {@link MetricsSupport#check()}), and {@code metrics=true} fails saying what to add.
 */
class MicrometerUnavailableTest {

    private static URL where(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    private static URLClassLoader withoutMicrometer() {
        return new URLClassLoader(new URL[] {where(MetricsSupport.class), where(jakarta.servlet.Servlet.class),
                where(jakarta.websocket.server.ServerContainer.class), where(jakarta.websocket.Session.class),
                where(jakarta.json.JsonValue.class), where(org.eclipse.parsson.JsonProviderImpl.class)},
                ClassLoader.getPlatformClassLoader());
    }

    @Test
    void withoutMicrometerTheWarBootstrapLinksAndMetricsAreReportedMissing() throws Exception {
        assertThat(MetricsSupport.available()).as("here, with the test class path").isTrue();
        try (URLClassLoader loader = withoutMicrometer()) {
            Class<?> support = loader.loadClass(MetricsSupport.class.getName());
            assertThat(support).isNotSameAs(MetricsSupport.class);
            assertThat(support.getMethod("available").invoke(null)).isEqualTo(false);
            assertThatThrownBy(() -> support.getMethod("check").invoke(null))
                    .isInstanceOf(InvocationTargetException.class).cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("io.micrometer:micrometer-registry-prometheus");
            // initialize = true: loaded, verified and linked without a Micrometer class in reach
            Class<?> initializer = Class.forName("dev.parley.jakarta.ParleyInitializer", true, loader);
            assertThat(initializer.getDeclaredConstructor().newInstance()).isNotNull();
        }
    }
}
