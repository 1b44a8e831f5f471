package dev.parley.engine;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the engine needs to know of an HTTP request (a poll, a POST or a WebSocket upgrade),
 * independent of the container that received it. Header names are case-insensitive.
 *
 * @param method        the HTTP method, upper case
 * @param url           the request path with its query string, as the client sent it
 * @param query         decoded query parameters (first value of each)
 * @param headers       headers by name, case-insensitive
 * @param remoteAddress the peer's IP address, or {@code null} when the container does not tell
 * @param secure        whether the request came over TLS
 * @param principal     the user the container authenticated for this request, or {@code null}
 * @param userInRole    the container's role test for that user; valid only while the request is
 *                      being handled (containers recycle requests), so authenticators call it
 *                      during the handshake and keep the answer
 */
public record EngineRequest(String method, String url, Map<String, String> query,
                            Map<String, List<String>> headers, String remoteAddress, boolean secure,
                            Principal principal, Predicate<String> userInRole) {

    private static final Predicate<String> NO_ROLES = role -> false;

    /** A request without a container user. */
    public EngineRequest(String method, String url, Map<String, String> query,
                         Map<String, List<String>> headers, String remoteAddress, boolean secure) {
        this(method, url, query, headers, remoteAddress, secure, null, NO_ROLES);
    }

    public EngineRequest {
        userInRole = principal == null || userInRole == null ? NO_ROLES : userInRole;
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        headers = Collections.unmodifiableMap(h);
        method = method.toUpperCase(Locale.ROOT);
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The same request seen from another address (one the container told late). */
    public EngineRequest withRemoteAddress(String address) {
        return new EngineRequest(method, url, query, headers, address, secure, principal, userInRole);
    }

    /** A query parameter, or {@code null}. */
    public String queryParam(String name) {
        return query.get(name);
    }

    /** Parses a raw query string ({@code a=1&b=%20}) keeping the first value of each name. */
    public static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformedEscape) {
                // A broken %-escape: keep the raw text rather than refusing the whole request.
                out.putIfAbsent(name, value);
            }
        }
        return out;
    }
}
