package dev.parley.standalone;

import dev.parley.server.EventHandler;
import dev.parley.server.ParleyServer;

/**
 * The benchmark contract every server under test implements (see {@code src/bench/README.md}):
 * each client joins room {@code bench} on connect; an event {@code bench} from any client is
 * broadcast to the room with its argument; an event {@code echo} is acknowledged with its argument.
 */
final class BenchApp {

    private BenchApp() {
    }

    static void install(ParleyServer server) {
        // The handlers need nothing of the socket: made once, every socket shares them (and so the map
        // holding them, see Socket.on); the netty-socketio peer likewise registers its listeners once.
        EventHandler bench = (args, ack) -> server.to("bench").emit("bench", args.toArray());
        EventHandler echo = (args, ack) -> ack.send(args.toArray());
        server.onConnection(socket -> {
            socket.join("bench");
            socket.on("bench", bench);
            socket.on("echo", echo);
        });
    }
}
