package dev.parley.server;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a socket knows of its connection, as {@code socket.handshake} in Socket.IO.
 *
 * @param headers the HTTP headers of the first request (case-insensitive names)
 * @param address the client's IP address ({@code null} where the container does not expose it)
 * @param xdomain whether the request carried an Origin header (a cross-origin page)
 * @param secure  whether the connection uses TLS
 * @param issued  when the connection was made, in epoch milliseconds
 * @param url     the request URL (path and query)
 * @param query   the query parameters
 * @param auth    the {@code auth} payload of the namespace CONNECT packet, empty if none
 */
public record Handshake(Map<String, List<String>> headers, String address, boolean xdomain,
                        boolean secure, long issued, String url, Map<String, String> query, JsonObject auth) {

    /**
     * When the connection was made, as a date string (RFC 1123); formatted when asked, since most
     * applications never ask and a connection storm would format thousands.
     */
    public String time() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(issued),
                ZoneOffset.UTC));
    }

    /**
     * This handshake as socket.io writes it where other nodes read it ({@code fetchSockets} answers,
     * stored sessions): {@code headers} (a repeated header's values joined with {@code ", "}, as Node
     * joins them), {@code time}, {@code address}, {@code xdomain}, {@code secure}, {@code issued},
     * {@code url}, {@code query}, {@code auth}.
     */
    public JsonObject toJson() {
        JsonObjectBuilder h = Json.createObjectBuilder();
        headers.forEach((name, values) -> h.add(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
        JsonObjectBuilder q = Json.createObjectBuilder();
        query.forEach(q::add);
        JsonObjectBuilder out = Json.createObjectBuilder().add("headers", h).add("time", time());
        if (address != null) {
            out.add("address", address);
        }
        return out.add("xdomain", xdomain).add("secure", secure).add("issued", issued)
                .add("url", url == null ? "" : url).add("query", q).add("auth", auth).build();
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
