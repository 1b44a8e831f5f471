package dev.parley.standalone;

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
        server.onConnection(socket -> {
            socket.join("bench");
            socket.on("bench", (args, ack) -> server.to("bench").emit("bench", args.toArray()));
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
        });
    }
}
