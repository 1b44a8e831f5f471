package dev.parley.settings;

import dev.parley.server.ParleyOptions;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One setting, declared once in {@link Settings}: its name (the flag {@code --name}, the system
 * property and context parameter {@code parley.name}, the environment variable
 * {@code PARLEY_NAME}), its {@link Group}, its {@link Kind} (parsing and validation), a one-line
 * doc, its default as shown to people, and how a value is applied to the options being built.
 * Immutable.
 *
 * <p>The shown default is read from {@link ParleyOptions#defaults()} (the builders' defaults are
 * the truth), or, for a default derived from other settings, a text saying how it is derived.
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {

    private final String name;
    private final Group group;
    private final Kind<T> kind;
    private final String doc;
    private final Function<ParleyOptions, Object> defaultValue;
    private final String defaultText;
    private final String zeroMeans; // what a default of 0 means ("no limit", "off"), or null
    private final BiConsumer<OptionsDraft, T> apply;

    private Setting(String name, Group group, Kind<T> kind, String doc, Function<ParleyOptions, Object> defaultValue,
                    String defaultText, String zeroMeans, BiConsumer<OptionsDraft, T> apply) {
        this.name = name;
        this.group = group;
        this.kind = kind;
        this.doc = doc;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.zeroMeans = zeroMeans;
        this.apply = apply;
    }

    /** A setting with no default shown and no effect yet; see {@link #defaultFrom}, {@link #appliedBy}. */
    static <T> Setting<T> of(String name, Group group, Kind<T> kind, String doc) {
        return new Setting<>(name, group, kind, doc, null, "", null, null);
    }

    /** The default shown is what {@code read} finds in {@link ParleyOptions#defaults()}. */
    Setting<T> defaultFrom(Function<ParleyOptions, Object> read) {
        return new Setting<>(name, group, kind, doc, read, null, zeroMeans, apply);
    }

    /** The default shown is this text (a default derived from other settings, or no builder value). */
    Setting<T> defaultText(String text) {
        return new Setting<>(name, group, kind, doc, null, text, zeroMeans, apply);
    }

    /** A default of 0 means "no limit" (the setting itself only takes positive values). */
    Setting<T> zeroIsNone() {
        return zeroMeans("no limit");
    }

    /** A default of 0 is shown as {@code 0: meaning}, e.g. "off". */
    Setting<T> zeroMeans(String meaning) {
        return new Setting<>(name, group, kind, doc, defaultValue, defaultText, meaning, apply);
    }

    /** How a value is applied; a setting without it is only validated. */
    Setting<T> appliedBy(BiConsumer<OptionsDraft, T> how) {
        return new Setting<>(name, group, kind, doc, defaultValue, defaultText, zeroMeans, how);
    }

    public String name() {
        return name;
    }

    public Group group() {
        return group;
    }

    public Kind<T> kind() {
        return kind;
    }

    /** One line saying what the setting does; may hold {@code `code`} spans (markdown). */
    public String doc() {
        return doc;
    }

    /** The default as shown in {@code --help} and the README (markdown), or "" when there is none. */
    public String defaultShown() {
        if (defaultValue == null) {
            return defaultText;
        }
        Object v = defaultValue.apply(ParleyOptions.defaults());
        if (v instanceof List<?> list) {
            return list.isEmpty() ? "none" : "`" + String.join(",", list.stream().map(String::valueOf).toList()) + "`";
        }
        if (v instanceof String s) {
            return "`" + s + "`";
        }
        if (v instanceof Number n) {
            String shown = n.doubleValue() == Math.rint(n.doubleValue()) ? Long.toString(n.longValue()) : n.toString();
            return zeroMeans != null && n.doubleValue() == 0 ? shown + ": " + zeroMeans : shown;
        }
        return String.valueOf(v);
    }

    /**
     * Reads this setting from the first of {@code sources} that has it and applies it to
     * {@code draft}; an invalid value is refused naming the setting, its source and the value.
     */
    void readInto(OptionsDraft draft, List<SettingSource> sources) {
        for (SettingSource source : sources) {
            String raw = source.get(name);
            if (raw != null) {
                try {
                    T value = kind.parse(raw.trim());
                    if (apply != null) {
                        apply.accept(draft, value);
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source.describe(name) + "='" + raw + "': " + e.getMessage(), e);
                }
                return;
            }
        }
    }

    /**
     * This setting as the first of {@code sources} that has it gives it, {@code name=value}, for the
     * start-up log line; null when none has it. A secret ({@link Kind#text} labelled {@code SECRET})
     * is shown as {@code ***}, the password of a URL's user information as {@code ***}.
     */
    String givenIn(List<SettingSource> sources) {
        for (SettingSource source : sources) {
            String raw = source.get(name);
            if (raw != null) {
                String shown = "SECRET".equals(kind.label()) ? "***"
                        : raw.trim().replaceAll("^([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:]*):[^/@]*@", "$1:***@");
                return name + "=" + shown;
            }
        }
        return null;
    }

    /** A count setting's value as an int (values beyond an int mean "as many as possible"). */
    static int clampToInt(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }

    @Override
    public String toString() {
        return Objects.toString(name);
    }
}
