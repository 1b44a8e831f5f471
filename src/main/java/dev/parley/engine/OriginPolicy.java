package dev.parley.engine;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a browser page may talk to this server, from the request's {@code Origin}
 * header. A WebSocket has no CORS: without this check any site could open one with the user's
 * cookies, so the same rule guards both transports. Allowed: requests without Origin (not sent
 * by non-browser clients), the server's own origin (the Origin's host and port are the
 * {@code Host} header's; a {@code Host} without port matches the Origin scheme's default port, so
 * a TLS-terminating proxy in front does not break it), the listed origins, or any with {@code "*"}.
 * Immutable.
 */
public final class OriginPolicy {

    private final boolean any;
    private final Set<String> allowed;

    public OriginPolicy(List<String> origins) {
        this.any = origins.contains("*");
        this.allowed = origins.stream().map(OriginPolicy::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether any origin is allowed ({@code "*"}). */
    public boolean allowsAny() {
        return any;
    }

    /** Whether the origin is one of the listed ones (not merely the server's own). */
    public boolean isListed(String origin) {
        return origin != null && allowed.contains(normalise(origin));
    }

    /**
     * @param origin the Origin header, or {@code null}
     * @param host   the Host header, or {@code null}
     */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        return isListed(origin) || sameOrigin(origin, host);
    }

    static boolean sameOrigin(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            URI o = new URI(origin.trim());
            if (o.getHost() == null || o.getScheme() == null) {
                return false; // "null" (sandboxed frames, file:) and other opaque origins
            }
            URI h = new URI(o.getScheme() + "://" + host.trim());
            if (h.getHost() == null || !o.getHost().equalsIgnoreCase(h.getHost())) {
                return false;
            }
            int originPort = o.getPort() < 0 ? defaultPort(o.getScheme()) : o.getPort();
            int hostPort = h.getPort() < 0 ? defaultPort(o.getScheme()) : h.getPort();
            return originPort == hostPort;
        } catch (java.net.URISyntaxException malformed) {
            return false;
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
