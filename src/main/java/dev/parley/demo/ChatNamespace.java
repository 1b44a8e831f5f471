package dev.parley.demo;

import dev.parley.jakarta.OnConnect;
import dev.parley.jakarta.OnDisconnect;
import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.server.Socket;
import jakarta.json.JsonString;
import java.util.Map;

/**
 * The demo chat behind {@code webapp/index.html}, written with the annotated API: users pick a
 * name, chat in the main namespace, see who is typing and how many are online. Messages are
 * acknowledged (the return value) so the page can mark them sent. The same class serves the WAR
 * (found at deployment) and the standalone server.
 */
@SocketNamespace("/")
public class ChatNamespace {

    /**
     * A client may give its name in the CONNECT's {@code auth} ({@code {"name": "alice"}}): then it is named
     * before any of its messages, also after a reconnection (the command-line client does so); the page sends
     * {@code join} instead.
     */
    @OnConnect
    public void connected(Socket socket) {
        if (socket.handshake().auth().get("name") instanceof JsonString name) {
            join(socket, name.getString());
        }
        socket.namespace().emit("users", socket.namespace().sockets().size());
    }

    @OnEvent("join")
    public Map<String, Object> join(Socket socket, String name) {
        String clean = clip(name == null || name.isBlank() ? "anonymous" : name, 32);
        socket.data().put("name", clean);
        socket.broadcast().emit("system", clean + " joined");
        return Map.of("ok", true, "name", clean);
    }

    @OnEvent("chat")
    public Map<String, Object> chat(Socket socket, String text) {
        socket.namespace().emit("chat", Map.of("from", nameOf(socket), "text", clip(text == null ? "" : text, 1000),
                "at", System.currentTimeMillis()));
        return Map.of("ok", true);
    }

    @OnEvent("typing")
    public void typing(Socket socket) {
        socket.broadcast().asVolatile().emit("typing", nameOf(socket));
    }

    @OnDisconnect
    public void left(Socket socket) {
        Object name = socket.data().get("name");
        if (name != null) {
            socket.namespace().emit("system", name + " left");
        }
        socket.namespace().emit("users", socket.namespace().sockets().size());
    }

    private static Object nameOf(Socket socket) {
        return socket.data().getOrDefault("name", "anonymous");
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
