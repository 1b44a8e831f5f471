package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Records what the server logs (java.util.logging, which Parley, Grizzly and Tyrus all use) while
 * a test runs, so the test can assert that a client's mistake is logged as one line at most and
 * never with a stack trace. Open it before the server starts, close it after:
 * <pre>{@code try (LogCapture log = LogCapture.start()) { ... log.assertNoStackTraces(); }}</pre>
 * Records below INFO are not kept: a default configuration does not print them either.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger root = Logger.getLogger("");
    private final List<LogRecord> records = new ArrayList<>();
    private int mark;

    private LogCapture() {
        setLevel(Level.INFO);
    }

    /** Starts recording on the root logger. */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.root.addHandler(capture);
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord r) {
        if (isLoggable(r)) {
            records.add(r);
        }
    }

    /** Records of INFO and above so far. */
    public synchronized List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** Records of INFO and above that carry a throwable (what a console would print as a stack trace). */
    public synchronized List<LogRecord> withStackTraces() {
        return records.stream().filter(r -> r.getThrown() != null).toList();
    }

    /** Fails naming each record that carries a stack trace. */
    public void assertNoStackTraces() {
        List<LogRecord> traced = withStackTraces();
        assertThat(traced).as("log records with a stack trace:%n%s", describe(traced)).isEmpty();
    }

    /** From now on, {@link #assertAtMost} counts only what is logged after this call (e.g. after start-up). */
    public synchronized void mark() {
        mark = records.size();
    }

    /** Fails when more than {@code max} records of INFO and above were logged since the {@link #mark()}. */
    public void assertAtMost(int max) {
        List<LogRecord> since;
        synchronized (this) {
            since = List.copyOf(records.subList(mark, records.size()));
        }
        assertThat(since.size()).as("log records:%n%s", describe(since)).isLessThanOrEqualTo(max);
    }

    private static String describe(List<LogRecord> list) {
        return list.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
                + (r.getThrown() == null ? "" : " [" + r.getThrown() + "]")).collect(Collectors.joining("\n"));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
