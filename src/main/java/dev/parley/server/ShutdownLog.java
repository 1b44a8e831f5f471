package dev.parley.server;

import java.util.function.Supplier;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Lifecycle lines that must not be lost while the JVM shuts down.
 *
 * <p>The JDK's {@code java.util.logging.LogManager} resets itself in a shutdown hook of its own, which
 * removes every handler; shutdown hooks run concurrently, so a line logged from another hook (an
 * application server undeploying its applications on SIGTERM, Payara Micro's for one) can find no
 * handler left and vanish. {@link #info} writes such a line as usual when any handler still takes it,
 * and otherwise, only during shutdown, through a console handler of its own on {@code System.err},
 * which is what the servers themselves do for their own last line ("Payara Micro STOPPED.").
 * The standalone jar avoids the race altogether (its {@code ShutdownLogManager} holds the reset).
 */
public final class ShutdownLog {

    private ShutdownLog() {
    }

    /**
     * Whether the JVM is running its shutdown hooks: the only portable sign is that a hook can no longer
     * be registered.
     */
    public static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { }, "parley-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException e) {
            return true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(probe);
        } catch (IllegalStateException e) {
            return true;
        }
        return false;
    }

    /**
     * Logs {@code line} at INFO on {@code log}; if no handler would receive it because the JVM's logging
     * was already reset by its shutdown, writes it through a temporary console handler instead. A
     * logger set above INFO by the operator stays silent either way.
     */
    static void info(Logger log, Supplier<String> line) {
        if (!log.isLoggable(Level.INFO)) {
            return;
        }
        // the caller named as the record's source, as a plain log.info there would (not this class)
        StackWalker.StackFrame caller = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow();
        LogRecord record = new LogRecord(Level.INFO, line.get());
        record.setLoggerName(log.getName());
        record.setSourceClassName(caller.getClassName());
        record.setSourceMethodName(caller.getMethodName());
        if (reachesAHandler(log) || !jvmShuttingDown()) {
            log.log(record);
            return;
        }
        Handler console = new ConsoleHandler(); // System.err, the JDK's default format; close() only flushes
        boolean parents = log.getUseParentHandlers();
        log.setUseParentHandlers(false); // a handler the reset has not reached yet would print it twice
        log.addHandler(console);
        try {
            log.log(record);
        } finally {
            log.removeHandler(console);
            log.setUseParentHandlers(parents);
            console.close();
        }
    }

    /** Whether a record logged on {@code log} would reach at least one handler. */
    private static boolean reachesAHandler(Logger log) {
        for (Logger l = log; l != null; l = l.getUseParentHandlers() ? l.getParent() : null) {
            if (l.getHandlers().length > 0) {
                return true;
            }
        }
        return false;
    }
}
