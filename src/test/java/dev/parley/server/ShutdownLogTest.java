package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The stop line survives the JDK's logging reset at shutdown: a child JVM logs from a shutdown hook after
 * {@link LogManager#reset()} has removed every handler (what the JDK's own hook does, concurrently, on
 * SIGTERM; here first, so the outcome does not depend on which hook wins).
 */
class ShutdownLogTest {

    @Test
    void aLineLoggedAfterTheResetStillReachesTheConsole() throws Exception {
        String err = runChild("shutdown-log");
        // the source named is the caller, as a plain log.info there would name it
        assertThat(err).contains("INFO: running").containsPattern("ShutdownLogTest\\$Child lambda\\$main\\$\\d+\\R"
                + "INFO: last line");
        assertThat(err.split("INFO: last line", -1)).as("written once: %s", err).hasSize(2);
    }

    @Test
    void withoutItTheLineIsLost() throws Exception {
        String err = runChild("plain");
        assertThat(err).contains("INFO: running").doesNotContain("last line");
    }

    private static String runChild(String mode) throws Exception {
        String cp = Path.of("target", "classes") + File.pathSeparator + Path.of("target", "test-classes");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                Child.class.getName(), mode).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(err, StandardCharsets.UTF_8);
    }

    /** The child JVM: logs once while running, then once more from a hook after the reset. */
    public static final class Child {
        public static void main(String[] args) {
            Logger log = Logger.getLogger("dev.parley.server.ShutdownLogTest");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LogManager.getLogManager().reset();
                if (args[0].equals("plain")) {
                    log.info(() -> "last line");
                } else {
                    ShutdownLog.info(log, () -> "last line");
                }
            }));
            log.info("running");
        }
    }
}
