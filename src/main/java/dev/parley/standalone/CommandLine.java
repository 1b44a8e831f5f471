package dev.parley.standalone;

import dev.parley.server.ParleyOptions;
import dev.parley.settings.SettingSource;
import dev.parley.settings.Settings;
import dev.parley.settings.SettingsDocumentation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The standalone server's flags. Every Parley setting is a flag of the same name
 * ({@code --ping-interval 25000}, see {@link Settings}); flags win over system properties
 * ({@code -Dparley.ping-interval}), which win over environment variables
 * ({@code PARLEY_PING_INTERVAL}). The flags of this server alone ({@code --host}, {@code --port},
 * the modes) are listed here. Unknown flags and bad values are refused naming the flag.
 */
final class CommandLine {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 3000;

    /** A flag of the standalone server that is no setting; {@code value} is null for a switch. */
    record Flag(String name, String value, String doc) {
    }

    /** The flags that are no setting, in the order {@code --help} lists them. */
    static final List<Flag> OWN_FLAGS = List.of(
            new Flag("--host", "H", "address to bind (default " + DEFAULT_HOST + ")"),
            new Flag("--port", "P", "port (default " + DEFAULT_PORT + ")"),
            new Flag("--no-serve-client", null, "same as --serve-client false"),
            new Flag("--conformance", null, "behave like the socket.io protocol test-suite servers"),
            new Flag("--bench", null, "serve the benchmark contract (src/bench/README.md) instead of the demo"),
            new Flag("--help", null, "this text"));

    static final String USAGE = usage();

    private final Map<String, String> settings = new HashMap<>();
    private final Map<String, String> other = new HashMap<>();

    CommandLine(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("--no-serve-client")) {
                settings.put("serve-client", "false");
                continue;
            }
            Flag own = own(name);
            if (own != null && own.value() == null) {
                other.put(name, "true");
                continue;
            }
            boolean setting = name.startsWith("--") && Settings.names().contains(name.substring(2));
            if (!setting && own == null) {
                throw new IllegalArgumentException("unknown option " + a);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            (setting ? settings : other).put(setting ? name.substring(2) : name, value);
        }
    }

    /** The flag of this server named {@code name}, or null. */
    static Flag own(String name) {
        return OWN_FLAGS.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    boolean has(String flag) {
        return other.containsKey(flag);
    }

    String host() {
        return other.getOrDefault("--host", DEFAULT_HOST);
    }

    int port() {
        String v = other.get("--port");
        if (v == null) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(v.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number from 0 to 65535, got '" + v + "'");
        }
    }

    /** The options {@code base} becomes with the settings given as flags, properties or environment. */
    ParleyOptions options(ParleyOptions base) {
        return Settings.options(base, sources());
    }

    /** The settings given as flags, properties or environment, secrets masked (the start-up log line). */
    List<String> given() {
        return Settings.given(sources());
    }

    private List<SettingSource> sources() {
        return List.of(SettingSource.of("flag", "--", settings), SettingSource.systemProperties(),
                SettingSource.environment());
    }

    /** The {@code --help} text: this server's own flags, then every setting by group. */
    private static String usage() {
        StringBuilder out = new StringBuilder("Usage: java -jar parley-standalone.jar [options]\nServer:\n");
        for (Flag f : OWN_FLAGS) {
            out.append(SettingsDocumentation.helpLine(f.value() == null ? f.name() : f.name() + " " + f.value(),
                    f.doc()));
        }
        return out.append(SettingsDocumentation.help())
                .append("Every setting may also be given as -Dparley.<name>=V or PARLEY_<NAME>=V.\n").toString();
    }
}
