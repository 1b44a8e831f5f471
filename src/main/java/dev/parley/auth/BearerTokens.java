package dev.parley.auth;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Where a client may put its token, most specific first: the namespace {@code auth} payload
 * (what {@code io({auth: {token}})} sends), the {@code Authorization: Bearer} header, and the
 * {@code token} query parameter (browsers cannot set headers on a WebSocket). A blank value counts
 * as absent, so an empty {@code auth.token} does not hide a real header.
 */
final class BearerTokens {

    static final String PAYLOAD_MEMBER = "token";
    static final String QUERY_PARAM = "token";
    private static final String BEARER = "Bearer";

    private BearerTokens() {
    }

    /** The token the request carries, or {@code null} if it carries none. */
    static String find(AuthRequest request) {
        String token = fromPayload(request.authPayload());
        if (token == null) {
            token = fromAuthorization(request.header("Authorization"));
        }
        if (token == null) {
            token = nonBlank(request.queryParam(QUERY_PARAM));
        }
        return token;
    }

    private static String fromPayload(JsonObject payload) {
        if (payload == null) {
            return null;
        }
        JsonValue value = payload.get(PAYLOAD_MEMBER);
        return value instanceof JsonString s ? nonBlank(s.getString()) : null;
    }

    private static String fromAuthorization(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        // RFC 7235: the scheme is case-insensitive and separated from the credentials by spaces.
        if (value.length() <= BEARER.length()
                || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || value.charAt(BEARER.length()) != ' ') {
            return null;
        }
        return nonBlank(value.substring(BEARER.length()));
    }

    private static String nonBlank(String value) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }
}
