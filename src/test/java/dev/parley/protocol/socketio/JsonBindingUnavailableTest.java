package dev.parley.protocol.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Parley's classes in a class loader that has JSON-P (the API and Parsson) but not JSON-B, or the
 * JSON-B API without an implementation, as the Java client may be used: values that do not need
 * JSON-B still travel, and an object that does fails with a message naming what is missing.
 */
class JsonBindingUnavailableTest {

    public record Order(String id, int quantity) {
    }

    private static final String HINT = "(add org.eclipse:yasson, or a Jakarta EE container provides one)";

    private static URL where(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    /** Parley's classes, the JSON-P API and Parsson, plus {@code extra}; parent: the platform loader. */
    private static URLClassLoader isolated(URL... extra) {
        List<URL> urls = new java.util.ArrayList<>(List.of(where(PayloadValues.class),
                where(jakarta.json.JsonValue.class), where(org.eclipse.parsson.JsonProviderImpl.class)));
        urls.addAll(List.of(extra));
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** Runs {@code task} with {@code loader} as the context class loader (JSON-P finds Parsson through it). */
    private static <T> T in(ClassLoader loader, Callable<T> task) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return task.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** {@code PayloadValues.encode(event, values).array().toString()} inside {@code loader}; unwraps failures. */
    private static String encode(ClassLoader loader, Object... values) throws Throwable {
        Class<?> pv = loader.loadClass(PayloadValues.class.getName());
        assertThat(pv).isNotSameAs(PayloadValues.class);
        Method encode = pv.getMethod("encode", String.class, Object[].class);
        try {
            Object enc = in(loader, () -> encode.invoke(null, "ev", values));
            return enc.getClass().getMethod("array").invoke(enc).toString();
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** {@code new Args(List.of(element)).get(0, type)} inside {@code loader}; unwraps failures. */
    private static Object argsGet(ClassLoader loader, Object element, Class<?> type) throws Throwable {
        Class<?> args = loader.loadClass(Args.class.getName());
        Object instance = args.getConstructor(List.class).newInstance(List.of(element));
        Method get = args.getMethod("get", int.class, Class.class);
        try {
            return in(loader, () -> get.invoke(instance, 0, type));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void withoutTheJsonbApiPlainValuesTravelAndObjectsFailNamingWhatIsMissing() throws Throwable {
        try (URLClassLoader loader = isolated()) {
            assertThatThrownBy(() -> loader.loadClass("jakarta.json.bind.Jsonb"))
                    .isInstanceOf(ClassNotFoundException.class);

            assertThat(encode(loader, "s", 1, true, Map.of("k", List.of(2.5)), new Object[] {null}))
                    .isEqualTo("[\"ev\",\"s\",1,true,{\"k\":[2.5]},[null]]");

            assertThatThrownBy(() -> encode(loader, Map.of("order", new Order("A1", 2))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot send a " + Order.class.getName() + ": objects other than JsonValue, String,"
                            + " Number, Boolean, byte[], ByteBuffer, Map, Collection and arrays are converted with"
                            + " JSON-B, and no JSON-B implementation is available: the JSON-B API (jakarta.json.bind)"
                            + " is not on the class path " + HINT)
                    .hasRootCauseInstanceOf(ClassNotFoundException.class);

            assertThat(argsGet(loader, 7L, int.class)).isEqualTo(7);
            assertThatThrownBy(() -> argsGet(loader, Map.of("id", "A1"), Order.class))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot read a " + Order.class.getName() + ": types other than JsonValue, String,"
                            + " numbers, Boolean and byte[] are read with JSON-B, and no JSON-B implementation is"
                            + " available: the JSON-B API (jakarta.json.bind) is not on the class path " + HINT);
        }
    }

    @Test
    void withTheJsonbApiButNoImplementationObjectsFailNamingTheMissingProvider() throws Throwable {
        try (URLClassLoader loader = isolated(where(jakarta.json.bind.Jsonb.class))) {
            assertThatThrownBy(() -> loader.loadClass("org.eclipse.yasson.JsonBindingProvider"))
                    .isInstanceOf(ClassNotFoundException.class);

            assertThatThrownBy(() -> encode(loader, List.of(new Order("A1", 2))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot send a " + Order.class.getName() + ": objects other than JsonValue, String,"
                            + " Number, Boolean, byte[], ByteBuffer, Map, Collection and arrays are converted with"
                            + " JSON-B, and no JSON-B implementation is available: JSON Binding provider"
                            + " org.eclipse.yasson.JsonBindingProvider not found " + HINT);
        }
    }
}
