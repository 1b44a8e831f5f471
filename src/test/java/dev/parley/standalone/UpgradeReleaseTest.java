package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpProbe;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After a WebSocket's 101 the standalone server keeps nothing of the upgrade's HTTP exchange
 * ({@link UpgradedReads}): Grizzly's HTTP codec holds no request for the connection, the request
 * packet itself went back to Grizzly's pool emptied (no headers, no connection: nothing of this
 * connection is held through it), and the WebSocket goes on working both ways.
 */
class UpgradeReleaseTest {

    private ParleyServer parley;
    private StandaloneServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void anUpgradedConnectionHoldsNoHttpRequestAndStillWorks() throws Exception {
        parley = new ParleyServer(ParleyOptions.defaults());
        CompletableFuture<Socket> connected = new CompletableFuture<>();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        parley.of("/").onConnection(socket -> {
            socket.on("say", (args, ack) -> {
                received.add(args.getString(0));
                socket.emit("said", args.getString(0));
            });
            connected.complete(socket);
        });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        List<Connection<?>> connections = new CopyOnWriteArrayList<>();
        List<HttpRequestPacket> requests = new CopyOnWriteArrayList<>();
        FilterChain chain = (FilterChain) server.listener().getFilterChain();
        HttpServerFilter codec = (HttpServerFilter) chain.get(chain.indexOfType(HttpServerFilter.class));
        codec.getMonitoringConfig().addProbes(new HttpProbe.Adapter() {
            @Override
            public void onHeaderParseEvent(Connection connection, HttpHeader header, int size) {
                if (header.isRequest()) {
                    connections.add(connection);
                    requests.add((HttpRequestPacket) header);
                }
            }
        });

        try (HandMadeWebSocket ws = HandMadeWebSocket.open("127.0.0.1", server.port(),
                "/socket.io/?EIO=4&transport=websocket&room=blue%20one")) {
            assertThat(ws.readFrame().text()).startsWith("0{");
            ws.sendText("40");
            assertThat(ws.readFrame().text()).startsWith("40{");
            Socket socket = connected.get(10, TimeUnit.SECONDS);
            // Tyrus is given the path alone (UpgradeGate): the handshake Parley took keeps the query.
            assertThat(socket.handshake().query()).containsExactly(entry("EIO", "4"), entry("transport", "websocket"),
                    entry("room", "blue one"));
            assertThat(socket.handshake().url()).isEqualTo("/socket.io/?EIO=4&transport=websocket&room=blue%20one");
            assertThat(socket.handshake().header("upgrade")).isEqualTo("websocket");
            assertThat(requests).as("the upgrade request, parsed once").hasSize(1);

            assertThat(server.holdsHttpRequest(connections.get(0))).as("codec holds the upgrade request").isFalse();
            HttpRequestPacket upgrade = requests.get(0);
            assertThat(upgrade.getConnection()).as("the recycled request's connection").isNull();
            assertThat(upgrade.getHeaders().size()).as("the recycled request's headers").isZero();
            assertThat(upgrade.getResponse()).as("the recycled request's response").isNull();

            // Both directions still work after the release, reads going straight to Tyrus.
            ws.sendText("42[\"say\",\"hello\"]");
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello");
            assertThat(ws.readFrame().text()).isEqualTo("42[\"said\",\"hello\"]");
        }
    }
}
