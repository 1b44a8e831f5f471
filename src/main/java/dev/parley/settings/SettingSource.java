package dev.parley.settings;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A place settings come from: the raw value of a setting by its name ({@code ping-interval}), or
 * null when this source does not have it. {@link Settings#options} asks the sources of a list in
 * order; the first that has a setting wins.
 */
public interface SettingSource {

    /** The raw value of the setting {@code name}, or null. */
    String get(String name);

    /** How this source spells a setting, for error messages, e.g. "system property parley.path". */
    String describe(String name);

    /** System properties, {@code parley.<name>}. */
    static SettingSource systemProperties() {
        return of("system property", "parley.", name -> System.getProperty("parley." + name));
    }

    /** Environment variables, {@code PARLEY_<NAME>} with dashes as underscores. */
    static SettingSource environment() {
        return of("environment variable", SettingSource::environmentName, name -> System.getenv(environmentName(name)));
    }

    /** Raw values by setting name, described as {@code kind prefix+name}, e.g. "flag --path". */
    static SettingSource of(String kind, String prefix, Map<String, String> values) {
        return of(kind, prefix, values::get);
    }

    /** Raw values looked up by setting name, described as {@code kind prefix+name}. */
    static SettingSource of(String kind, String prefix, Function<String, String> lookup) {
        return of(kind, name -> prefix + name, lookup);
    }

    /** The environment variable of a setting: {@code ping-interval} is {@code PARLEY_PING_INTERVAL}. */
    static String environmentName(String name) {
        return "PARLEY_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static SettingSource of(String kind, Function<String, String> spelling, Function<String, String> lookup) {
        return new SettingSource() {
            @Override
            public String get(String name) {
                return lookup.apply(name);
            }

            @Override
            public String describe(String name) {
                return kind + " " + spelling.apply(name);
            }
        };
    }
}
