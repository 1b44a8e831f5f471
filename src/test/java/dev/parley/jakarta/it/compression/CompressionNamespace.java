package dev.parley.jakarta.it.compression;

import dev.parley.jakarta.OnConnect;
import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.Ack;
import dev.parley.server.Socket;
import java.util.Map;

/**
 * The server side of {@code src/test/node/compression/compression.test.mjs} as an annotated namespace,
 * for the container tests of compression (a WAR of this package with {@code per-message-deflate} on):
 * the same events as the standalone fixture's. On connect a {@code welcome}; {@code compressed(n,
 * compress)} emits {@code n} characters back with Socket.IO's {@code compress} flag as asked;
 * {@code binary-ack} acknowledges with its arguments as they came (text, binaries, nested binaries).
 */
@SocketNamespace("/")
public class CompressionNamespace {

    @OnConnect
    public void welcome(Socket socket) {
        socket.emit("welcome", Map.of("id", socket.id()));
    }

    @OnEvent("compressed")
    public void compressed(Socket socket, int n, boolean compress) {
        socket.compress(compress).emit("compressed", text(n));
    }

    @OnEvent("binary-ack")
    public void binaryAck(Args args, Ack ack) {
        ack.send(args.toArray());
    }

    /** The same text as the Node test's {@code text(n)}. */
    static String text(int n) {
        StringBuilder b = new StringBuilder(n + 8);
        for (int i = 0; b.length() < n; i++) {
            b.append("word").append(i % 50).append(' ');
        }
        return b.substring(0, n);
    }
}
