package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.engine.EngineOptions;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client against a server with every compression on and low thresholds. The client offers
 * no permessage-deflate (its Tyrus client config lists no extension) and sends no
 * {@code Accept-Encoding} on polling, so it gets plain frames and bodies: the server's compression
 * must not reach a client that did not ask for it.
 */
class ParleyClientCompressionTest {

    private static ParleyServer parley;
    private static StandaloneServer server;
    private static URI uri;

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder().engine(EngineOptions.builder().perMessageDeflate(true)
                .perMessageDeflateThreshold(16).httpCompression(true).httpCompressionThreshold(16).build()).build());
        parley.onConnection(socket -> socket.on("ack", (args, ack) -> ack.send(args.toArray())));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        uri = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    private static void roundTrip(ClientOptions options) throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, options)) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            String text = "compressible ".repeat(10_000);
            byte[] bytes = new byte[50_000];
            Arrays.fill(bytes, (byte) 7);
            Args acked = socket.emitWithAck(Duration.ofSeconds(5), "ack", text, bytes).get(10, TimeUnit.SECONDS);
            assertThat(acked.getString(0)).isEqualTo(text);
            assertThat(acked.getBytes(1)).isEqualTo(bytes);
        }
    }

    @Test
    void overWebSocket() throws Exception {
        roundTrip(ClientOptions.defaults().transports(List.of(ClientOptions.WEBSOCKET)));
    }

    @Test
    void overPolling() throws Exception {
        roundTrip(ClientOptions.defaults().transports(List.of(ClientOptions.POLLING)).upgrade(false));
    }
}
