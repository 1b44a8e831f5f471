package dev.parley.jakarta.it.app;

import dev.parley.jakarta.OnConnect;
import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.Socket;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.TreeSet;

/**
 * The one annotated class of the example application deployed to real containers: it joins every
 * socket to "orders" (where the JAX-RS resource pushes) and answers the container scenarios.
 */
@SocketNamespace("/")
public class ShopNamespace {

    @Inject
    GreetingService greetings;

    @OnConnect
    public void connected(Socket socket) {
        socket.join("orders");
        socket.emit("welcome", socket.id(), socket.transport());
    }

    @OnEvent("greet")
    public String greet(String name) {
        return greetings.greet(name);
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
