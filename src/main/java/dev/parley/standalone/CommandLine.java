package dev.parley.standalone;

import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleySettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The standalone server's flags. Every Parley setting is a flag of the same name
 * ({@code --ping-interval 25000}, see {@link ParleySettings}); flags win over system properties
 * ({@code -Dparley.ping-interval}), which win over environment variables
 * ({@code PARLEY_PING_INTERVAL}). Unknown flags and bad values are refused naming the flag.
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
              --max-attachments N   binary attachments per packet (default 10)
              --max-attachment-bytes N  bytes of one packet's attachments together
                                    (default max-attachments x max-payload)
              --attachment-timeout MS  time for a packet's attachments to arrive (default 30000)
              --transports LIST     polling,websocket (default both)
              --allowed-origins LIST  other sites' origins allowed on both transports, or *
                                    (default: same origin and non-browser clients only)
              --max-connections N   sessions on this server (default no limit)
              --max-connections-per-address N  sessions per remote address (default no limit)
              --handshake-rate R    handshakes per second per address (default no limit)
              --handshake-burst N   handshakes at once per address (default: one second's worth)
              --max-buffered-bytes N  bytes waiting for a client before it is dropped
                                    (default 4 x max-payload, at least 4 MiB)
              --bind-session-to-address BOOL  a sid only works from its handshake's address
              --http-body-timeout MS  time a polling POST may take to send its body; then 408
                                    (default 60000)
              --max-namespaces N    namespaces per connection (default 32)
              --event-rate R        events per second per socket (default no limit)
              --event-burst N       events at once per socket (default: one second's worth)
              --disconnect-on-expiry BOOL  disconnect when a token expires (default false)
              --serve-client BOOL   serve <path>socket.io.min.js (default true)
              --no-serve-client     same as --serve-client false
              --adapter NAME        memory (default)
              --http-header-timeout MS  time to send a request's headers, from the connection's
                                    opening or the previous response; then 408 (default 20000)
              --http-keep-alive-timeout MS  idle time allowed between requests on a kept-alive
                                    connection (default 5000)
              --conformance         behave like the socket.io protocol test-suite servers
              --bench               serve the benchmark contract (src/bench/README.md) instead of the demo
              --help                this text
            Every setting may also be given as -Dparley.<name>=V or PARLEY_<NAME>=V.
            """;

    private static final Set<String> SWITCHES = Set.of("--conformance", "--bench", "--help");

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
            if (SWITCHES.contains(name)) {
                other.put(name, "true");
                continue;
            }
            if (name.equals("--no-serve-client")) {
                settings.put(ParleySettings.SERVE_CLIENT, "false");
                continue;
            }
            boolean setting = name.startsWith("--") && ParleySettings.NAMES.contains(name.substring(2));
            if (!setting && !name.equals("--host") && !name.equals("--port")) {
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

    boolean has(String flag) {
        return other.containsKey(flag);
    }

    String host() {
        return other.getOrDefault("--host", "127.0.0.1");
    }

    int port() {
        String v = other.get("--port");
        if (v == null) {
            return 3000;
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
        return ParleySettings.options(base, List.of(ParleySettings.of("flag", "--", settings),
                ParleySettings.systemProperties(), ParleySettings.environment()));
    }
}
