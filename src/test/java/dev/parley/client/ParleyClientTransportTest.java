package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineOptions;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.Handshake;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import dev.parley.testing.CuttingProxy;
import dev.parley.testing.HttpConnectProxy;
import dev.parley.testing.NoUpgradeProxy;
import dev.parley.testing.TlsTerminatingProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java client's transports against a real standalone Parley: long-polling only, polling upgraded to a
 * WebSocket mid-stream, WebSocket only, the fallback to polling when a proxy refuses WebSockets, reconnection on
 * polling, headers and query seen by the server, TLS through a terminating proxy, an HTTP proxy, and no thread
 * left after close().
 */
class ParleyClientTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ClientOptions FAST = ClientOptions.defaults().reconnectionDelay(50).reconnectionDelayMax(300)
            .connectTimeout(3000);
    private static final ClientOptions POLLING_ONLY = FAST.transports(List.of(ClientOptions.POLLING));
    private static final ClientOptions WEBSOCKET_ONLY = FAST.transports(List.of(ClientOptions.WEBSOCKET));

    private static ParleyServer parley;
    private static StandaloneServer server;
    private static URI uri;
    /** Per connection of "/": the server's transport at connection and the handshake. */
    private static final List<String> serverTransports = new CopyOnWriteArrayList<>();
    private static final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
    private static final List<Integer> notes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().pingInterval(300).pingTimeout(600).build()).build());
        parley.onConnection(socket -> {
            serverTransports.add(socket.transport());
            handshakes.add(socket.handshake());
            socket.on("ack", (args, ack) -> ack.send(args.toArray()));
            socket.on("echo", (args, ack) -> socket.emit("echo", args.toArray()));
            socket.on("ask", (args, ack) -> socket.emitWithAck(Duration.ofSeconds(5), "question", args.toArray())
                    .thenAccept(reply -> ack.send(reply.toArray())));
            socket.on("note", (args, ack) -> {
                notes.add(args.getInt(0));
                socket.emit("tock", args.getInt(0));
            });
            socket.on("transport", (args, ack) -> ack.send(socket.transport()));
        });
        parley.of("/other").onConnection(socket -> socket.on("ack", (args, ack) -> ack.send("other",
                args.get(0))));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        uri = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    @BeforeEach
    void clear() {
        serverTransports.clear();
        handshakes.clear();
        notes.clear();
    }

    @Test
    void pollingOnlyCarriesEventsAcksBinaryAndNamespaces() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, POLLING_ONLY)) {
            assertThat(client.transport()).isEqualTo("polling");
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            awaitServerTransports("polling");

            Args acked = socket.emitWithAck(WAIT, "ack", new byte[] {1, 2, 3}, "x", Map.of("k", 1))
                    .get(5, TimeUnit.SECONDS);
            assertThat(acked.getBytes(0)).containsExactly(1, 2, 3);
            assertThat(acked.getString(1)).isEqualTo("x");
            assertThat(acked.getJsonObject(2).toString()).isEqualTo("{\"k\":1}");

            CompletableFuture<Args> echoed = new CompletableFuture<>();
            socket.on("echo", (args, reply) -> echoed.complete(args));
            socket.emit("echo", new byte[] {9, 8}, new byte[0]);
            Args e = echoed.get(5, TimeUnit.SECONDS);
            assertThat(e.getBytes(0)).containsExactly(9, 8);
            assertThat(e.getBytes(1)).isEmpty();

            socket.on("question", (args, reply) -> reply.accept(new Object[] {"answer to " + args.getString(0)}));
            assertThat(socket.emitWithAck(WAIT, "ask", "life").get(5, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("answer to life");

            ClientSocket other = client.socket("/other", null);
            other.connected().get(5, TimeUnit.SECONDS);
            Args o = other.emitWithAck(WAIT, "ack", 7).get(5, TimeUnit.SECONDS);
            assertThat(o.getString(0)).isEqualTo("other");
            assertThat(o.getInt(1)).isEqualTo(7);

            // several heartbeats (300 ms) answered over POSTs: still the same session, never upgraded
            String sid = client.sessionId();
            await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> client.isOpen()
                    && sid.equals(client.sessionId()) && "polling".equals(client.transport()));
            assertThat(socket.emitWithAck(WAIT, "transport").get(5, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("polling");
        }
    }

    @Test
    void pollingUpgradesToWebSocketWithoutLosingOrReorderingAStream() throws Exception {
        List<Integer> tocks = new CopyOnWriteArrayList<>();
        List<String> fallbacks = new CopyOnWriteArrayList<>();
        // room for every emit made before the namespace's CONNECT is answered (they wait in its buffer)
        try (ParleyClient client = ParleyClient.connect(uri, FAST.sendBufferLimit(200_000))) {
            client.onTransportFallback(fallbacks::add);
            // emits start at once, while the probe runs: those before the CONNECT wait in the namespace's buffer,
            // the next ones in the session's while polling is paused, the last ones go over the WebSocket
            ClientSocket socket = client.socket("/", null, s -> s.on("tock", (args, r) -> tocks.add(args.getInt(0))));
            int sent = 0;
            int sentWhilePolling = 0;
            List<String> lossReasons = new CopyOnWriteArrayList<>();
            socket.onDisconnect(lossReasons::add);
            while (!"websocket".equals(client.transport()) && sent < 5_000) {
                socket.emit("note", sent++);
                sentWhilePolling++;
                if (sent % 20 == 0 && socket.isConnected()) {
                    // a round trip now and then bounds what is in flight (the ack travels in the same order)
                    socket.emitWithAck(WAIT, "ack", sent).get(5, TimeUnit.SECONDS);
                }
            }
            for (int i = 0; i < 200; i++) {
                socket.emit("note", sent++);
                if (sent % 20 == 0) {
                    socket.emitWithAck(WAIT, "ack", sent).get(5, TimeUnit.SECONDS);
                }
            }
            int total = sent;
            assertThat(sentWhilePolling).as("emits made before the switch").isPositive();
            await().atMost(WAIT).untilAsserted(() -> assertThat(List.of(notes.size(), tocks.size(), lossReasons))
                    .as("notes, tocks, losses of " + total).isEqualTo(List.of(total, total, List.of())));
            List<Integer> expected = IntStream.range(0, total).boxed().collect(Collectors.toList());
            assertThat(notes).as("client to server").isEqualTo(expected);
            assertThat(tocks).as("server to client").isEqualTo(expected);
            assertThat(client.transport()).isEqualTo("websocket");
            assertThat(socket.emitWithAck(WAIT, "transport").get(5, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("websocket");
            assertThat(fallbacks).isEmpty();
        }
    }

    @Test
    void onPollingWhatWaitsIsSentInPostsWithinTheServersMaxPayload() throws Exception {
        // A server taking POST bodies of at most 2,000 bytes (its OPEN packet says so) and 40 events of 500
        // characters emitted at once: one POST in flight, the rest gathered; a single POST of them would be refused
        // (413) and the connection lost with them.
        ParleyServer small = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().maxPayload(2_000).build()).build());
        List<Integer> received = new CopyOnWriteArrayList<>();
        List<String> reasons = new CopyOnWriteArrayList<>();
        small.onConnection(socket -> socket.on("big", (args, ack) -> received.add(args.getInt(0))));
        try (StandaloneServer http = StandaloneServer.start("127.0.0.1", 0,
                        List.of(new StandaloneServer.Mount(small.engine(), false)), false);
                ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + http.port()),
                        POLLING_ONLY)) {
            ClientSocket socket = client.socket("/", null, s -> s.onDisconnect(reasons::add));
            socket.connected().get(10, TimeUnit.SECONDS);
            String text = "x".repeat(500);
            for (int i = 0; i < 40; i++) {
                socket.emit("big", i, text);
            }
            await().atMost(WAIT).until(() -> received.size() == 40);
            assertThat(received).isEqualTo(IntStream.range(0, 40).boxed().toList());
            assertThat(reasons).as("the connection never lost").isEmpty();
        } finally {
            small.close();
        }
    }

    @Test
    void webSocketOnlyNeverPolls() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, WEBSOCKET_ONLY)) {
            assertThat(client.transport()).isEqualTo("websocket");
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            awaitServerTransports("websocket");
            assertThat(socket.emitWithAck(WAIT, "ack", new byte[] {4}).get(5, TimeUnit.SECONDS).getBytes(0))
                    .containsExactly(4);
        }
    }

    @Test
    void aProxyRefusingWebSocketsMakesWebSocketFirstFallBackToPolling() throws Exception {
        List<String> fallbacks = new CopyOnWriteArrayList<>();
        try (NoUpgradeProxy proxy = new NoUpgradeProxy(server.port());
                ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + proxy.port()),
                        FAST.transports(List.of(ClientOptions.WEBSOCKET, ClientOptions.POLLING)))) {
            client.onTransportFallback(fallbacks::add);
            assertThat(proxy.refusedUpgrades()).isEqualTo(1);
            assertThat(client.transport()).isEqualTo("polling");
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            assertThat(socket.emitWithAck(WAIT, "ack", "via polling").get(5, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("via polling");
            // told on the callback thread, possibly after connect() returned (the listener was added after)
            await().atMost(WAIT).until(() -> fallbacks.size() == 1);
            assertThat(fallbacks.get(0)).contains("websocket").contains("403");
        }
    }

    @Test
    void aRefusedProbeLeavesAPollingSessionOnPollingAndSaysSo() throws Exception {
        List<String> fallbacks = new CopyOnWriteArrayList<>();
        try (NoUpgradeProxy proxy = new NoUpgradeProxy(server.port());
                ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + proxy.port()), FAST)) {
            client.onTransportFallback(fallbacks::add);
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> fallbacks.size() == 1);
            assertThat(fallbacks.get(0)).contains("probe").contains("403");
            assertThat(proxy.refusedUpgrades()).isEqualTo(1);
            assertThat(client.transport()).isEqualTo("polling");
            assertThat(socket.emitWithAck(WAIT, "transport").get(5, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("polling");
        }
    }

    @Test
    void aCutPollingConnectionIsATransportErrorAndReconnects() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<Integer> reconnects = new CopyOnWriteArrayList<>();
        try (CuttingProxy proxy = new CuttingProxy(server.port());
                ParleyClient client = ParleyClient.connect(URI.create("http://127.0.0.1:" + proxy.port()),
                        POLLING_ONLY)) {
            client.onReconnect(reconnects::add);
            ClientSocket socket = client.socket("/", null, s -> s.onDisconnect(reasons::add));
            String firstId = socket.connected().get(5, TimeUnit.SECONDS);
            String firstSession = client.sessionId();

            // refused too: the JDK's HttpClient may retry a GET whose kept-alive connection broke, on a new one
            proxy.refuse(true);
            proxy.cut(); // the GET waiting on the server fails

            await().atMost(WAIT).until(() -> reasons.equals(List.of("transport error")));
            proxy.refuse(false);
            await().atMost(WAIT).until(() -> reconnects.size() == 1 && socket.isConnected());
            assertThat(socket.id()).isNotEqualTo(firstId);
            assertThat(client.sessionId()).isNotNull().isNotEqualTo(firstSession);
            assertThat(client.transport()).isEqualTo("polling");
            assertThat(socket.emitWithAck(WAIT, "ack", "after").get(5, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("after");
        }
    }

    @Test
    void headersAndQueryReachTheServerOnEveryTransport() throws Exception {
        ClientOptions withExtras = FAST.extraHeaders(Map.of("Authorization", "Bearer s3cret"))
                .query(Map.of("token", "a b&c", "v", "1"));
        for (ClientOptions o : List.of(withExtras.transports(List.of(ClientOptions.POLLING)),
                withExtras.transports(List.of(ClientOptions.WEBSOCKET)))) {
            handshakes.clear();
            try (ParleyClient client = ParleyClient.connect(uri, o)) {
                client.socket("/", null).connected().get(5, TimeUnit.SECONDS);
                Handshake h = handshakes.get(0);
                assertThat(header(h, "authorization")).as(o.transports().toString()).isEqualTo("Bearer s3cret");
                assertThat(h.query()).containsEntry("token", "a b&c").containsEntry("v", "1");
            }
        }
    }

    /**
     * The server's transports seen by its connection handler so far: as in Node, the server sends the CONNECT reply
     * before its connection handlers run, so a client may see itself connected before the handler recorded it.
     */
    private static void awaitServerTransports(String... expected) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(serverTransports).containsExactly(expected));
    }

    private static String header(Handshake h, String name) {
        return h.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    @Test
    void tlsWithTheGivenContextOverHttpsPollingAndWss() throws Exception {
        try (TlsTerminatingProxy tls = new TlsTerminatingProxy(server.port())) {
            URI https = URI.create("https://127.0.0.1:" + tls.port());
            try (ParleyClient client = ParleyClient.connect(https, FAST.sslContext(tls.clientContext()))) {
                ClientSocket socket = client.socket("/", null);
                socket.connected().get(5, TimeUnit.SECONDS);
                awaitServerTransports("polling");
                await().atMost(WAIT).until(() -> "websocket".equals(client.transport()));
                assertThat(socket.emitWithAck(WAIT, "transport").get(5, TimeUnit.SECONDS).getString(0))
                        .isEqualTo("websocket");
            }
            try (ParleyClient client = ParleyClient.connect(https, WEBSOCKET_ONLY.sslContext(tls.clientContext()))) {
                ClientSocket socket = client.socket("/", null);
                assertThat(socket.emitWithAck(WAIT, "ack", "wss").get(5, TimeUnit.SECONDS).getString(0))
                        .isEqualTo("wss");
            }
            for (ClientOptions o : List.of(FAST, WEBSOCKET_ONLY)) {
                assertThatThrownBy(() -> ParleyClient.connect(https, o.reconnection(false)).close())
                        .as("the JDK's default trust store does not trust the test certificate")
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("cannot connect to https://127.0.0.1:" + tls.port());
            }
        }
    }

    @Test
    void anHttpProxyCarriesPollingAndTunnelsTheWebSocket() throws Exception {
        try (HttpConnectProxy proxy = new HttpConnectProxy();
                ParleyClient client = ParleyClient.connect(uri, FAST.proxy("127.0.0.1", proxy.port()))) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> "websocket".equals(client.transport()));
            assertThat(socket.emitWithAck(WAIT, "ack", "proxied").get(5, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("proxied");
            String authority = "127.0.0.1:" + server.port();
            assertThat(proxy.requests()).as("the polling handshake, absolute URI")
                    .anyMatch(r -> r.startsWith("GET http://" + authority + "/socket.io/?EIO=4&transport=polling"));
            assertThat(proxy.requests()).as("the WebSocket, tunnelled").contains("CONNECT " + authority + " HTTP/1.1");
        }
    }

    @Test
    void closeLeavesNoThreadOfTheClient() throws Exception {
        warmTheServer();
        Set<Thread> before = transportThreads();
        // the server's pools (grizzly-web-async-thread-N, tyrus-1-thread-N) may grow under the clients' load
        Set<String> serverPools = before.stream().map(ParleyClientTransportTest::pool).collect(Collectors.toSet());
        List<ParleyClient> clients = new ArrayList<>();
        for (ClientOptions o : List.of(FAST, POLLING_ONLY, WEBSOCKET_ONLY, FAST)) {
            ParleyClient client = ParleyClient.connect(uri, o);
            clients.add(client);
            client.socket("/", null).emitWithAck(WAIT, "ack", 1).get(5, TimeUnit.SECONDS);
        }
        await().atMost(WAIT).until(() -> "websocket".equals(clients.get(0).transport())
                && "websocket".equals(clients.get(3).transport()));
        Set<Thread> during = transportThreads();
        during.removeAll(before);
        assertThat(names(during)).as("threads the clients started")
                .anyMatch(n -> n.startsWith("parley-client-http"))
                .anyMatch(n -> n.startsWith("tyrus-") || n.startsWith("grizzly"));

        clients.forEach(ParleyClient::close);
        clients.clear(); // unreachable, so that their HttpClients can be collected

        // the JDK's HttpClient selector thread ends once its client is unreachable: collect it
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            System.gc();
            Set<Thread> left = transportThreads();
            left.removeAll(before);
            left.removeIf(t -> serverPools.contains(pool(t)));
            assertThat(names(left)).isEmpty();
        });
    }

    /**
     * The server starts some threads of its own at its first polling request and first WebSocket (Grizzly's
     * {@code grizzly-web-async-*}, its Tyrus container's {@code tyrus-1-*} scheduler): made to start here, with the
     * JDK's own HTTP and WebSocket clients, so that they are not taken for the Parley client's.
     */
    private static void warmTheServer() throws Exception {
        HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> open = jdk.send(HttpRequest.newBuilder(URI.create(uri + "/socket.io/?EIO=4&transport=polling"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(open.body()).startsWith("0{");
        CompletableFuture<CharSequence> first = new CompletableFuture<>();
        WebSocket ws = jdk.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port()
                + "/socket.io/?EIO=4&transport=websocket"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        first.complete(data);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);
        assertThat(first.get(5, TimeUnit.SECONDS).toString()).startsWith("0{");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    private static Set<Thread> transportThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(t -> {
            String n = t.getName();
            return n.startsWith("parley-client-") || n.startsWith("tyrus-") || n.startsWith("HttpClient-")
                    || n.toLowerCase().startsWith("grizzly");
        }).collect(Collectors.toSet());
    }

    /** A thread's pool: its name without the trailing number. */
    private static String pool(Thread t) {
        return t.getName().replaceFirst("[0-9]+$", "");
    }

    private static Set<String> names(Set<Thread> threads) {
        return threads.stream().map(Thread::getName).collect(Collectors.toSet());
    }
}
