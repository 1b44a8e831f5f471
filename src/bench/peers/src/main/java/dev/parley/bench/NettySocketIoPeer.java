package dev.parley.bench;

import com.corundumstudio.socketio.AckMode;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.Transport;

/**
 * The netty-socketio 2.0.14 benchmark peer: the benchmark contract (room {@code bench} joined on
 * connect, event {@code bench} broadcast to the room, {@code echo} acknowledged with its argument)
 * on netty-socketio, over WebSocket and HTTP long-polling, path {@code /socket.io/}.
 *
 * <p>Run: {@code java -cp parley-bench-peers.jar dev.parley.bench.NettySocketIoPeer --host 127.0.0.1 --port 3402}.
 */
public final class NettySocketIoPeer {

    private static final String ROOM = "bench";

    private NettySocketIoPeer() {
    }

    public static void main(String[] argv) {
        // Before the first SLF4J logger exists: netty-socketio logs every connect/disconnect at INFO/DEBUG.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        PeerArgs args = PeerArgs.parse(argv, 3402);

        Configuration config = new Configuration();
        config.setHostname(args.host());
        config.setPort(args.port());
        config.setContext("/socket.io");
        config.setTransports(Transport.WEBSOCKET, Transport.POLLING);
        // The Engine.IO defaults every peer uses (netty-socketio's own pingTimeout default is 60 s).
        config.setPingInterval(25_000);
        config.setPingTimeout(20_000);
        // Threads on this 2-core machine: one acceptor; workers 0 = Netty's default, 2 x cores = 4
        // event loops. Listeners run on those event loops (netty-socketio has no separate executor).
        config.setBossThreads(1);
        config.setWorkerThreads(0);
        // Like Node Socket.IO 4 (perMessageDeflate off by default); the load generator does not offer it anyway.
        config.setWebsocketCompression(false);
        // Acknowledge only what the contract says to: no automatic empty acks.
        config.setAckMode(AckMode.MANUAL);
        config.getSocketConfig().setReuseAddress(true);

        SocketIOServer server = new SocketIOServer(config);
        server.addConnectListener(client -> client.joinRoom(ROOM));
        // Object.class: Jackson reads the JSON object into a Map of Integer/Long/String, so "i" and "t"
        // are written back as integers, exactly as received.
        server.addEventListener(ROOM, Object.class,
                (client, data, ack) -> server.getRoomOperations(ROOM).sendEvent(ROOM, data));
        server.addEventListener("echo", Object.class, (client, data, ack) -> {
            if (ack.isAckRequested()) {
                ack.sendAckData(data);
            }
        });

        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "peer-shutdown"));
        System.out.println("netty-socketio peer listening on " + args.host() + ":" + args.port());
    }
}
