package dev.parley.settings;

import java.util.Arrays;
import java.util.List;

/**
 * The type of a setting's value: how a raw (trimmed) string becomes one, refusing what is invalid
 * with an {@link IllegalArgumentException} whose message says what is wrong (the caller adds the
 * setting's name and source), and the word {@code --help} shows for it ({@code MS}, {@code BOOL}).
 *
 * @param <T> the parsed value's type
 */
public final class Kind<T> {

    /** Turns a raw value into a typed one, or throws {@link IllegalArgumentException}. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String raw);
    }

    /** A positive whole number of milliseconds. */
    public static final Kind<Long> MILLIS = new Kind<>("MS", Kind::positive);
    /** A whole number of milliseconds, 0 to turn off what it times. */
    public static final Kind<Long> MILLIS_OR_OFF = new Kind<>("MS", Kind::notNegative);
    /** A positive whole number of bytes. */
    public static final Kind<Long> BYTES = new Kind<>("BYTES", Kind::positive);
    /** A positive whole number of things. */
    public static final Kind<Long> COUNT = new Kind<>("N", Kind::positive);
    /** A positive whole number per second. */
    public static final Kind<Long> RATE = new Kind<>("R", Kind::positive);
    /** {@code true} or {@code false}, in any case. */
    public static final Kind<Boolean> BOOL = new Kind<>("BOOL", Kind::bool);
    /** Comma-separated values, trimmed, empty ones left out. */
    public static final Kind<List<String>> LIST = new Kind<>("LIST", Kind::list);

    private final String label;
    private final Parser<T> parser;

    private Kind(String label, Parser<T> parser) {
        this.label = label;
        this.parser = parser;
    }

    /** A non-empty text, shown in {@code --help} as {@code label}. */
    public static Kind<String> text(String label) {
        return new Kind<>(label, Kind::nonEmpty);
    }

    /** One of {@code values}; anything else is refused as "unknown {@code noun} 'x' (a, b)". */
    public static Kind<String> choice(String noun, String... values) {
        List<String> allowed = List.of(values);
        return new Kind<>(String.join("|", allowed), raw -> {
            String v = nonEmpty(raw);
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException("unknown " + noun + " '" + v + "' (" + String.join(", ", allowed) + ")");
            }
            return v;
        });
    }

    /** The word {@code --help} shows for the value, e.g. {@code MS}. */
    public String label() {
        return label;
    }

    T parse(String raw) {
        return parser.parse(raw);
    }

    private static Long positive(String raw) {
        long n;
        try {
            n = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number");
        }
        if (n <= 0) {
            throw new IllegalArgumentException("must be positive");
        }
        return n;
    }

    private static Long notNegative(String raw) {
        long n;
        try {
            n = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number");
        }
        if (n < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return n;
    }

    private static Boolean bool(String raw) {
        if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("must be true or false");
        }
        return Boolean.parseBoolean(raw);
    }

    private static List<String> list(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String nonEmpty(String raw) {
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return raw;
    }
}
