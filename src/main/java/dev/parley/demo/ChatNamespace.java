package dev.parley.demo;

import dev.parley.jakarta.OnConnect;
import dev.parley.jakarta.OnDisconnect;
import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.server.Socket;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo chat behind {@code webapp/index.html}, written with the annotated API: users pick a
 * name, chat in rooms (everyone starts in {@value #LOBBY} unless it asks for another), and everything a
 * page shows is about its own room: who is in it and how many are connected there ({@code presence} and
 * {@code users}), who joined, left, entered or moved away ({@code system} lines), who is typing, the
 * messages, and the room's last {@value #HISTORY} messages when it enters. Messages are acknowledged (the
 * return value) so the page can mark them sent. The same class serves the WAR (found at deployment) and the
 * standalone server; one instance per server holds the history, in memory, on this node only (the presence
 * list, too, lists this node's sockets: the demo is not meant for a cluster).
 */
@SocketNamespace("/")
public class ChatNamespace {

    /** The room every socket is in until it picks another. */
    static final String LOBBY = "lobby";
    /** How many messages each room keeps for those who enter it. */
    static final int HISTORY = 50;

    private final Map<String, Deque<Map<String, Object>>> history = new ConcurrentHashMap<>();

    /**
     * A client may give its name, and the room to start in, in the CONNECT's {@code auth}
     * ({@code {"name": "alice", "room": "random"}}): then it is named and in its room before any of its
     * messages, also after a reconnection (the page and the command-line client do so). Without a name it
     * is announced when it sends {@code join}.
     */
    @OnConnect
    public void connected(Socket socket) {
        JsonObject auth = socket.handshake().auth();
        String room = auth.get("room") instanceof JsonString r ? cleanRoom(r.getString()) : LOBBY;
        socket.data().put("room", room);
        socket.join(room);
        if (auth.get("name") instanceof JsonString name) {
            join(socket, name.getString());
        } else {
            users(socket, room);
        }
    }

    /** Names the socket and tells its room (the others in it: "… joined"; everyone: presence and count). */
    @OnEvent("join")
    public Map<String, Object> join(Socket socket, String name) {
        String clean = clip(name == null || name.isBlank() ? "anonymous" : name, 32);
        socket.data().put("name", clean);
        String room = roomOf(socket);
        socket.to(room).emit("system", clean + " joined");
        presence(socket, room);
        return Map.of("ok", true, "name", clean);
    }

    /**
     * Moves the socket to {@code room} (leaving its previous one, whose members see it leave); answers with
     * the room's recent messages, oldest first, its presence list and count (the page, still showing the old
     * room, ignores the new room's {@code presence} and {@code users} that reach it before this answer).
     */
    @OnEvent("room")
    public Map<String, Object> room(Socket socket, String room) {
        String clean = cleanRoom(room);
        String previous = roomOf(socket);
        if (!previous.equals(clean)) {
            socket.leave(previous);
            socket.join(clean);
            socket.data().put("room", clean);
            socket.to(previous).emit("system", nameOf(socket) + " left " + previous);
            socket.to(clean).emit("system", nameOf(socket) + " entered " + clean);
            presence(socket, previous);
        }
        presence(socket, clean);
        return Map.of("ok", true, "room", clean, "history", historyOf(clean), "members", membersOf(socket, clean),
                "users", countIn(socket, clean));
    }

    @OnEvent("chat")
    public Map<String, Object> chat(Socket socket, String text) {
        String room = roomOf(socket);
        Map<String, Object> message = Map.of("from", nameOf(socket), "text", clip(text == null ? "" : text, 1000),
                "at", System.currentTimeMillis(), "room", room);
        Deque<Map<String, Object>> kept = history.computeIfAbsent(room, r -> new ArrayDeque<>());
        synchronized (kept) {
            kept.addLast(message);
            if (kept.size() > HISTORY) {
                kept.removeFirst();
            }
        }
        socket.namespace().to(room).emit("chat", message);
        return Map.of("ok", true);
    }

    @OnEvent("typing")
    public void typing(Socket socket) {
        socket.to(roomOf(socket)).asVolatile().emit("typing", nameOf(socket));
    }

    /** Tells the room the socket was in (it has left it by now). */
    @OnDisconnect
    public void left(Socket socket) {
        String room = roomOf(socket);
        Object name = socket.data().get("name");
        if (name != null) {
            socket.namespace().to(room).emit("system", name + " left");
        }
        presence(socket, room);
    }

    /** Tells everyone in {@code room} who is in it now, and how many are connected there. */
    private static void presence(Socket socket, String room) {
        // In this order on the wire, every run (Map.of's order changes from one JVM to the next).
        Map<String, Object> presence = new LinkedHashMap<>();
        presence.put("room", room);
        presence.put("members", membersOf(socket, room));
        socket.namespace().to(room).emit("presence", presence);
        users(socket, room);
    }

    /**
     * Tells everyone in {@code room} how many of this node's sockets are connected in it, named or not yet
     * (the room rides along, for a page that has just moved on).
     */
    private static void users(Socket socket, String room) {
        socket.namespace().to(room).emit("users", countIn(socket, room), room);
    }

    /** How many of this node's sockets are connected in {@code room}. */
    private static int countIn(Socket socket, String room) {
        int count = 0;
        for (Socket s : socket.namespace().localSockets()) {
            if (s.connected() && room.equals(s.data().get("room"))) {
                count++;
            }
        }
        return count;
    }

    /** The names of this node's connected sockets in {@code room}, sorted. */
    private static List<String> membersOf(Socket socket, String room) {
        TreeSet<String> names = new TreeSet<>();
        for (Socket s : socket.namespace().localSockets()) {
            if (s.connected() && s.data().get("name") != null && room.equals(s.data().get("room"))) {
                names.add(String.valueOf(s.data().get("name")));
            }
        }
        return new ArrayList<>(names);
    }

    private List<Map<String, Object>> historyOf(String room) {
        Deque<Map<String, Object>> kept = history.get(room);
        if (kept == null) {
            return List.of();
        }
        synchronized (kept) {
            return new ArrayList<>(kept);
        }
    }

    private static String roomOf(Socket socket) {
        return String.valueOf(socket.data().getOrDefault("room", LOBBY));
    }

    private static String cleanRoom(String room) {
        return clip(room == null || room.isBlank() ? LOBBY : room.trim(), 32);
    }

    private static Object nameOf(Socket socket) {
        return socket.data().getOrDefault("name", "anonymous");
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
