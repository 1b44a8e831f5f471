package dev.parley.standalone;

import dev.parley.engine.EngineOptions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standalone server's flags, parsed and validated. Unknown flags and bad values are refused
 * with a message naming the flag. Engine settings have the same names as the reference server's
 * options, in kebab case.
 */
final class CommandLine {

    static final String USAGE = """
            Usage: java -jar parley-standalone.jar [options]
              --host H              address to bind (default 127.0.0.1)
              --port P              port (default 3000)
              --path P              Engine.IO path (default /socket.io/)
              --ping-interval MS    heartbeat interval (default 25000)
              --ping-timeout MS     heartbeat timeout (default 20000)
              --upgrade-timeout MS  polling-to-WebSocket upgrade timeout (default 10000)
              --max-payload BYTES   largest message or POST body (default 1000000)
              --connect-timeout MS  time to join a namespace (default 45000)
              --transports LIST     polling,websocket (default both)
              --cors-origin LIST    origins allowed by CORS on polling, or * (default none)
              --no-serve-client     do not serve <path>socket.io.min.js
              --conformance         behave like the socket.io protocol test-suite servers
              --help                this text
            """;

    private static final Set<String> FLAGS_WITH_VALUE = Set.of("--host", "--port", "--path", "--ping-interval",
            "--ping-timeout", "--upgrade-timeout", "--max-payload", "--connect-timeout", "--transports",
            "--cors-origin");
    private static final Set<String> SWITCHES = Set.of("--no-serve-client", "--conformance", "--help");

    private final Map<String, String> values = new HashMap<>();

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
            if (SWITCHES.contains(name)) {
                values.put(name, "true");
            } else if (FLAGS_WITH_VALUE.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    value = args[++i];
                }
                values.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown option " + a);
            }
        }
    }

    boolean has(String flag) {
        return values.containsKey(flag);
    }

    String host() {
        return values.getOrDefault("--host", "127.0.0.1");
    }

    int port() {
        return (int) number("--port", 3000, 0, 65535);
    }

    /** Applies the engine flags given on top of {@code base} (so they override a mode's defaults). */
    EngineOptions engine(EngineOptions base) {
        EngineOptions.Builder b = base.toBuilder();
        if (has("--path")) {
            b.path(values.get("--path"));
        }
        if (has("--ping-interval")) {
            b.pingInterval(number("--ping-interval", 0, 1, Integer.MAX_VALUE));
        }
        if (has("--ping-timeout")) {
            b.pingTimeout(number("--ping-timeout", 0, 1, Integer.MAX_VALUE));
        }
        if (has("--upgrade-timeout")) {
            b.upgradeTimeout(number("--upgrade-timeout", 0, 1, Integer.MAX_VALUE));
        }
        if (has("--max-payload")) {
            b.maxPayload(number("--max-payload", 0, 1, Integer.MAX_VALUE));
        }
        if (has("--transports")) {
            b.transports(list("--transports"));
        }
        if (has("--cors-origin")) {
            b.corsOrigins(list("--cors-origin"));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid engine option: " + e.getMessage(), e);
        }
    }

    long connectTimeout(long fallback) {
        return number("--connect-timeout", fallback, 1, Integer.MAX_VALUE);
    }

    private List<String> list(String flag) {
        return Arrays.stream(values.get(flag).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private long number(String flag, long fallback, long min, long max) {
        String v = values.get(flag);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }
}
