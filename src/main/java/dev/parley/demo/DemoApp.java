package dev.parley.demo;

import dev.parley.server.ParleyServer;
import java.util.Map;

/**
 * The demo chat behind {@code webapp/index.html}: users pick a name, chat in the main room, see
 * who is typing and how many are online. Messages are acknowledged so the page can mark them sent.
 */
public final class DemoApp {

    private DemoApp() {
    }

    /** Installs the chat's handlers on the main namespace. */
    public static void install(ParleyServer server) {
        server.onConnection(socket -> {
            server.emit("users", server.of("/").sockets().size());
            socket.on("join", (args, ack) -> {
                String name = args.isEmpty() ? "anonymous" : clip(args.getString(0), 32);
                socket.data().put("name", name);
                socket.broadcast().emit("system", name + " joined");
                ack.send(Map.of("ok", true, "name", name));
            });
            socket.on("chat", (args, ack) -> {
                String text = clip(args.getString(0), 1000);
                Object name = socket.data().getOrDefault("name", "anonymous");
                server.emit("chat", Map.of("from", name, "text", text, "at", System.currentTimeMillis()));
                ack.send(Map.of("ok", true));
            });
            socket.on("typing", (args, ack) ->
                    socket.broadcast().asVolatile().emit("typing", socket.data().getOrDefault("name", "anonymous")));
            socket.onDisconnect((reason, description) -> {
                Object name = socket.data().get("name");
                if (name != null) {
                    server.emit("system", name + " left");
                }
                server.emit("users", server.of("/").sockets().size());
            });
        });
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max);
    }
}
