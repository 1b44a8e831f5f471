package dev.parley.bench.war;

import dev.parley.jakarta.OnConnect;
import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;

/**
 * The benchmark contract (src/bench/README.md) as the one annotated namespace of the bench WAR
 * (run.sh, TARGET=wildfly or payara): each client joins room "bench" on connect; an event "bench"
 * is broadcast to the room, sender included, with its argument; "echo" is acknowledged with its
 * argument.
 */
@SocketNamespace("/")
public class BenchNamespace {

    @Inject
    ParleyServer server;

    @OnConnect
    public void connected(Socket socket) {
        socket.join("bench");
    }

    @OnEvent("bench")
    public void bench(Args args) {
        server.to("bench").emit("bench", args.toArray());
    }

    @OnEvent("echo")
    public JsonValue echo(JsonValue arg) {
        return arg;
    }
}
