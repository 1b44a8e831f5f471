package com.example.orders;

import dev.parley.jakarta.OnConnect;
import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.Socket;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.TreeSet;

/**
 * The main namespace "/": what the container tests drive besides the README's example (every JSON
 * type and binary through acks, rooms, a broadcast to a room).
 */
@SocketNamespace("/")
public class LobbyNamespace {

    @OnConnect
    public void connected(Socket socket) {
        socket.emit("welcome", socket.id(), socket.transport());
    }

    @OnEvent("echo")
    public List<Object> echo(Args args) {
        return args.asList();
    }

    @OnEvent("reverse")
    public byte[] reverse(byte[] data) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = data[data.length - 1 - i];
        }
        return out;
    }

    @OnEvent("join")
    public List<String> join(Socket socket, String room) {
        socket.join(room);
        return List.copyOf(new TreeSet<>(socket.rooms()));
    }

    @OnEvent("to-room")
    public String toRoom(Socket socket, String room, String event, JsonValue payload) {
        socket.namespace().to(room).emit(event, payload);
        return "sent";
    }
}
