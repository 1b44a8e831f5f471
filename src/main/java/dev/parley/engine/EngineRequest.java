package dev.parley.engine;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

    /**
     * Headers whose values repeat from client to client, so equal values are shared between requests
     * ({@link SharedStrings}); never a per-client secret or id such as a key, cookie or token.
     */
    private static final Set<String> SHARED_HEADER_VALUES = caseInsensitive("Host", "Connection", "Upgrade",
            "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol", "User-Agent", "Origin",
            "Accept", "Accept-Encoding", "Accept-Language", "Cache-Control", "Pragma", "Content-Type",
            "X-Forwarded-Proto");

    /** Query parameters whose values repeat from client to client (Engine.IO's own). */
    private static final Set<String> SHARED_QUERY_VALUES = Set.of("EIO", "transport");

    /*
     * A WebSocket keeps its handshake request for the connection's life (EngineSession.request, and
     * socket.handshake shares its maps), so what it holds is kept small: the maps immutable over two
     * arrays (ArrayMap) rather than a TreeMap or LinkedHashMap with an entry object per mapping, and
     * the strings that repeat across connections shared (SharedStrings). Same contents, same
     * case-insensitive header lookup, same iteration order (headers sorted by name, the query as given).
     */
    public EngineRequest {
        userInRole = principal == null || userInRole == null ? NO_ROLES : userInRole;
        // A query of Engine.IO's own parameters alone (what a WebSocket-first client sends) is the same
        // for every such client, and so is its URL: both shared rather than kept per connection.
        boolean engineOnly = SHARED_QUERY_VALUES.containsAll(query.keySet());
        query = compactQuery(query);
        if (engineOnly) {
            query = SharedStrings.query(query);
            url = SharedStrings.string(url);
        }
        headers = compactHeaders(headers);
        method = method.toUpperCase(Locale.ROOT);
        remoteAddress = SharedStrings.string(remoteAddress);
    }

    private static Map<String, String> compactQuery(Map<String, String> query) {
        if (query instanceof ArrayMap<String> compact) {
            return compact;
        }
        Map<String, String> q = new LinkedHashMap<>();
        query.forEach((k, v) -> q.put(SharedStrings.string(k),
                SHARED_QUERY_VALUES.contains(k) ? SharedStrings.string(v) : v));
        Map<String, String> out = ArrayMap.of(q);
        return out instanceof ArrayMap ? out : Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> compactHeaders(Map<String, List<String>> headers) {
        if (headers instanceof ArrayMap<List<String>> compact) {
            return compact;
        }
        TreeMap<String, Object> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> {
            List<String> shared = v.size() == 1 && SHARED_HEADER_VALUES.contains(k) ? SharedStrings.list(v.get(0))
                    : null;
            // A value of its own (a key, a cookie) as the bare string: ArrayMap makes the list when asked.
            h.put(SharedStrings.string(k), shared != null ? shared : v.size() == 1 ? v.get(0) : List.copyOf(v));
        });
        Map<String, List<String>> out = ArrayMap.sortedSingles(h, String.CASE_INSENSITIVE_ORDER);
        if (out != null) {
            return out;
        }
        TreeMap<String, List<String>> large = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.forEach((k, v) -> large.put(k, v instanceof String s ? List.of(s) : (List<String>) v));
        return Collections.unmodifiableMap(large);
    }

    private static Set<String> caseInsensitive(String... names) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return Collections.unmodifiableSet(set);
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
