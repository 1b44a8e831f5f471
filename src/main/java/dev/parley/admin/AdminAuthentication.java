package dev.parley.admin;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.parley.server.AdminUiOptions;
import dev.parley.server.ConnectError;
import dev.parley.server.Middleware;
import dev.parley.server.Next;
import dev.parley.server.Socket;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code /admin} namespace's login, as the reference's basic authentication: a CONNECT whose
 * {@code auth} holds a session id this server gave out passes; else {@code auth.username} must be the
 * configured one and {@code auth.password} must match the bcrypt hash, and the socket is then given a
 * new session id (sent as the {@code session} event once connected, which the UI keeps to reconnect
 * without the password). Anything else is refused with {@code connect_error} "invalid credentials".
 * With {@code auth=none} everyone passes. The bcrypt check (tens of milliseconds by design) runs on
 * the common pool, not on the transport's thread.
 */
final class AdminAuthentication implements Middleware {

    static final String INVALID_CREDENTIALS = "invalid credentials";
    /** Sessions kept (the oldest forgotten first): a UI that lost its session logs in again. */
    private static final int MAX_SESSIONS = 1000;

    private final AdminUiOptions options;
    private final SecureRandom random = new SecureRandom();
    private final Set<String> sessions = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_SESSIONS;
                }
            }));
    /** Session ids given at login, by socket id, until the socket's connection handler sends them. */
    private final Map<String, String> toSend = new ConcurrentHashMap<>();

    AdminAuthentication(AdminUiOptions options) {
        this.options = options;
    }

    @Override
    public void handle(Socket socket, Next next) {
        if (!options.checksCredentials()) {
            next.proceed();
            return;
        }
        JsonObject auth = socket.handshake().auth();
        String sessionId = text(auth, "sessionId");
        if (sessionId != null && sessions.contains(sessionId)) {
            next.proceed();
            return;
        }
        String username = text(auth, "username");
        String password = text(auth, "password");
        if (!options.username().equals(username) || password == null) {
            next.fail(new ConnectError(INVALID_CREDENTIALS));
            return;
        }
        CompletableFuture.supplyAsync(() -> matches(password, options.passwordHash())).whenComplete((ok, error) -> {
                    if (Boolean.TRUE.equals(ok)) {
                        byte[] id = new byte[8];
                        random.nextBytes(id);
                        String session = HexFormat.of().formatHex(id);
                        sessions.add(session);
                        toSend.put(socket.id(), session);
                        next.proceed();
                    } else {
                        next.fail(new ConnectError(INVALID_CREDENTIALS));
                    }
                });
    }

    /** Whether {@code password} matches the bcrypt {@code hash} ({@code $2a$}, {@code $2b$}, {@code $2y$}, as bcryptjs makes them). */
    static boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Sends a socket that just logged in its session id ({@code session} event), if it got one. */
    void sendSession(Socket socket) {
        String session = toSend.remove(socket.id());
        if (session != null) {
            socket.emit("session", session);
        }
    }

    private static String text(JsonObject o, String key) {
        JsonValue v = o == null ? null : o.get(key);
        return v instanceof JsonString s ? s.getString() : null;
    }
}
