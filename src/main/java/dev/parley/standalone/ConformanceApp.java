package dev.parley.standalone;

import dev.parley.engine.EngineCloseReason;
import dev.parley.engine.EngineOptions;
import dev.parley.engine.EngineServer;
import dev.parley.engine.EngineSession;
import dev.parley.engine.EngineSessionListener;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.server.Namespace;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import java.util.List;

/**
 * The servers the public black-box suites in the socket.io repository expect
 * ({@code docs/engine.io-protocol/v4-test-suite}, {@code docs/socket.io-protocol/v5-test-suite}):
 * an echoing Engine.IO server at {@code /engine.io/} and a Socket.IO server at {@code /socket.io/},
 * pingInterval 300 ms, pingTimeout 200 ms, connectTimeout 1000 ms, CORS for any origin.
 */
final class ConformanceApp {

    private ConformanceApp() {
    }

    static EngineOptions engineDefaults() {
        return EngineOptions.builder().pingInterval(300).pingTimeout(200).allowedOrigins(List.of("*")).build();
    }

    /** The suites' settings; flags given with {@code --conformance} override them. */
    static ParleyOptions defaults() {
        return ParleyOptions.builder().engine(engineDefaults()).connectTimeout(1000).build();
    }

    /** A raw Engine.IO server that sends every message back as it came. */
    static EngineServer echoEngine(EngineOptions options) {
        EngineServer engine = new EngineServer(options);
        engine.onConnection(session -> session.setListener(new EngineSessionListener() {
            @Override
            public void onMessage(EngineSession s, EnginePacket message) {
                s.send(message);
            }

            @Override
            public void onClose(EngineSession s, EngineCloseReason reason, String description) {
            }
        }));
        return engine;
    }

    /** Socket.IO: emits {@code auth} on connect, echoes {@code message}, acks {@code message-with-ack}. */
    static ParleyServer socketIo(ParleyOptions options) {
        ParleyServer server = new ParleyServer(options);
        install(server.of("/"));
        install(server.of("/custom"));
        return server;
    }

    private static void install(Namespace nsp) {
        nsp.onConnection(socket -> {
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
            socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
        });
    }
}
