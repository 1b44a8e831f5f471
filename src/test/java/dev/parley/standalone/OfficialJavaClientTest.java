package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.engine.EngineOptions;
import dev.parley.protocol.socketio.Args;
import dev.parley.server.ConnectError;
import dev.parley.server.Namespace;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okio.Buffer;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official Java client, {@code io.socket:socket.io-client} 2.1.2 (engine.io-client 2.1.0 on
 * OkHttp 3.12), against a real standalone Parley, each scenario once per transport mode: WebSocket
 * only, long-polling only, and polling upgraded to WebSocket. The server side is set up here (not
 * {@link FixtureApp}) so that every scenario can look at what the server itself received, with which
 * Java types, rather than only at what it echoed.
 *
 * <p>The binary arguments are 200 bytes on purpose: on polling, this client sends a binary as
 * {@code b} + base64 in Android's DEFAULT flavour, wrapped every 76 characters and ending with a
 * line break, which Node's server accepts; Parley must too.
 *
 * <p>Each test gets its own {@link OkHttpClient} (the client's call and WebSocket factory) and shuts
 * its dispatcher down afterwards, then waits for every thread the client started to end, so that no
 * test leaks a connection or a thread into the next.
 */
class OfficialJavaClientTest {

    /** The {@code transports} option of each mode. */
    enum Mode {
        WEBSOCKET("websocket"),
        POLLING("polling"),
        POLLING_UPGRADED("polling", "websocket");

        final String[] transports;

        Mode(String... transports) {
            this.transports = transports;
        }

        /** The transport the server's socket ends on. */
        String finalTransport() {
            return transports[transports.length - 1];
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** 200 bytes, every value from 0 to 199: more than one 76-character base64 line. */
    private static final byte[] BLOB = blob(200, 0);
    private static final byte[] SMALL = {1, 2, 3};

    private static ParleyServer parley;
    private static StandaloneServer server;
    private static URI uri;
    /** The server's side of each client socket, keyed by the {@code test} auth field and namespace. */
    private static final Map<String, Peer> PEERS = new ConcurrentHashMap<>();

    /** What the server saw of one socket: the socket, the events it received, why it left. */
    record Peer(Socket socket, BlockingQueue<Args> received, CompletableFuture<String> disconnect) {
    }

    private String testKey;
    private OkHttpClient http;
    /** The body of every polling POST this test's client sent, as text. */
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private final List<io.socket.client.Socket> clientSockets = new ArrayList<>();
    private final List<CompletableFuture<Object[]>> managersClosed = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder()
                .engine(EngineOptions.builder().pingInterval(2000).pingTimeout(5000).build())
                .connectTimeout(5000).build());
        install(parley.of("/"));
        Namespace admin = parley.of("/admin");
        admin.use((socket, next) -> {
            if ("secret".equals(socket.handshake().auth().getString("token", null))) {
                next.proceed();
            } else {
                next.fail(new ConnectError("not authorized", Map.of("code", 401)));
            }
        });
        install(admin);
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        uri = URI.create("http://127.0.0.1:" + server.port());
    }

    /** The same handlers on every namespace: record what arrives, answer acks with their own arguments. */
    private static void install(Namespace nsp) {
        nsp.onConnection(socket -> {
            Peer peer = new Peer(socket, new LinkedBlockingQueue<>(), new CompletableFuture<>());
            socket.on("record", (args, ack) -> peer.received().add(args));
            socket.on("echo-ack", (args, ack) -> {
                peer.received().add(args);
                ack.send(args.toArray());
            });
            socket.onDisconnect((reason, description) -> peer.disconnect().complete(reason.wire()));
            String key = socket.handshake().auth().getString("test", "none");
            PEERS.put(key + nsp.name(), peer);
        });
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    @BeforeEach
    void newClient() {
        testKey = UUID.randomUUID().toString();
        // A short keep-alive so that the pool's cleanup thread ends soon after evictAll (it otherwise
        // sleeps out the 5-minute default); the 1-minute read timeout is the one engine.io-client's
        // own default client uses, above a long-poll's wait (the ping interval).
        http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(5, 200, TimeUnit.MILLISECONDS))
                .readTimeout(1, TimeUnit.MINUTES)
                .addInterceptor(chain -> {
                    Request request = chain.request();
                    if (request.body() != null) {
                        Buffer body = new Buffer();
                        request.body().writeTo(body);
                        posted.add(body.readUtf8());
                    }
                    return chain.proceed(request);
                })
                .build();
    }

    @AfterEach
    void closeClient() {
        try {
            // Only the sockets still active: disconnect() on one already gone (refused, or left in the
            // test) makes its Manager close a second time while the first close waits for the
            // DISCONNECT packet to drain, and that second close drops the Manager's listener on its
            // engine, so the Manager's "close" would never come (a client quirk, not the server's).
            clientSockets.stream().filter(io.socket.client.Socket::isActive)
                    .forEach(io.socket.client.Socket::disconnect);
            // A Manager closes its engine once its last socket has gone (the close packet goes through
            // the dispatcher): wait for that, then for no call left, before stopping the dispatcher.
            managersClosed.forEach(closed -> assertThat(closed).succeedsWithin(WAIT));
            await().atMost(WAIT).until(() -> http.dispatcher().runningCallsCount() == 0
                    && http.dispatcher().queuedCallsCount() == 0);
        } finally {
            // after a failure above, cancel what is left so that it does not spill into the next test
            http.dispatcher().cancelAll();
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(clientThreads()).isEmpty());
    }

    /**
     * The threads of this client library still working: OkHttp's dispatcher (renamed after the call
     * it runs), its WebSocket writer, a connection pool cleaner still looking after a pool,
     * engine.io-client's event thread and heartbeat scheduler. Two JVM-wide OkHttp/Okio daemons are
     * left out while idle: the pool cleaners' executor is static in OkHttp 3 and keeps an idle
     * "OkHttp ConnectionPool" thread for 60 s, and "Okio Watchdog" (one per JVM, for every client's
     * timeouts) ends by itself after 60 s without a pending timeout.
     */
    private static List<String> clientThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().isAlive())
                .filter(e -> {
                    String n = e.getKey().getName();
                    if (n.equals("OkHttp ConnectionPool")) {
                        return Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith("okhttp3."));
                    }
                    return n.startsWith("OkHttp") || n.equals("EventThread")
                            || n.startsWith("engine.io-client.heartbeat-");
                })
                .map(e -> e.getKey().getName() + " " + Arrays.toString(e.getValue()))
                .collect(Collectors.toList());
    }

    // ---------------------------------------------------------------- scenarios

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void connectsWithAuthSeenByTheServer(Mode mode) throws Exception {
        Manager manager = manager(mode);
        io.socket.client.Socket client = socket(manager, "/", Map.of("user", "ana"));
        awaitConnect(client);

        Peer peer = peer("/");
        JsonObject auth = peer.socket().handshake().auth();
        assertThat(auth.getString("test")).isEqualTo(testKey);
        assertThat(auth.getString("user")).isEqualTo("ana");
        assertThat(auth).hasSize(2);
        // Socket.IO v5: the socket id comes in the CONNECT answer, and is the server's
        assertThat(client.id()).isEqualTo(peer.socket().id());
        await().atMost(WAIT).until(() -> peer.socket().transport().equals(mode.finalTransport()));
        if (mode == Mode.POLLING) {
            // still polling after a round trip: the client was told not to upgrade
            roundTrip(client);
            assertThat(peer.socket().transport()).isEqualTo("polling");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void clientToServerArgumentsOfEveryKind(Mode mode) throws Exception {
        io.socket.client.Socket client = connected(mode);
        Peer peer = peer("/");
        JSONObject object = new JSONObject().put("name", "parley").put("n", 3)
                .put("nested", new JSONObject().put("ok", true));

        client.emit("record", "text é ✓", 42, 3.5, object, BLOB);
        Args args = peer.received().poll(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(args).as("event received by the server").isNotNull();
        assertThat(args.size()).isEqualTo(5);
        assertThat(args.get(0)).isEqualTo("text é ✓");
        assertThat(args.get(1)).isEqualTo(42L);
        assertThat(args.getDouble(2)).isEqualTo(3.5);
        JsonObject received = args.getJsonObject(3);
        assertThat(received.getString("name")).isEqualTo("parley");
        assertThat(received.getInt("n")).isEqualTo(3);
        assertThat(received.getJsonObject("nested").getBoolean("ok")).isTrue();
        assertThat(args.getBytes(4)).isEqualTo(BLOB);
        if (mode == Mode.POLLING) {
            // what the issue is about: the client's base64 really was wrapped, and ended with a line break
            assertThat(posted).anySatisfy(body -> assertThat(body)
                    .contains("b" + java.util.Base64.getMimeEncoder().encodeToString(BLOB).substring(0, 76) + "\n")
                    .containsPattern("b[A-Za-z0-9+/=\n]+=\n"));
        }

        // a binary inside an object, and two binaries in one packet
        client.emit("record", new JSONObject().put("blob", SMALL).put("label", "in an object"), blob(100, 50));
        Args nested = peer.received().poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(nested).as("binary-in-object event received by the server").isNotNull();
        assertThat(nested.get(0)).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) nested.get(0);
        assertThat((byte[]) map.get("blob")).isEqualTo(SMALL);
        assertThat(map.get("label")).isEqualTo("in an object");
        assertThat(nested.getBytes(1)).isEqualTo(blob(100, 50));
        assertThat(peer.socket().connected()).as("session still up").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void serverToClientArgumentsOfEveryKind(Mode mode) throws Exception {
        io.socket.client.Socket client = connected(mode);
        Peer peer = peer("/");
        CompletableFuture<Object[]> pushed = new CompletableFuture<>();
        client.on("pushed", pushed::complete);
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", "parley");
        object.put("n", 3);
        object.put("blob", SMALL);

        peer.socket().emit("pushed", "text é ✓", 42, 3.5, object, BLOB);
        Object[] args = pushed.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(args).hasSize(5);
        assertThat(args[0]).isEqualTo("text é ✓");
        assertThat(((Number) args[1]).longValue()).isEqualTo(42L);
        assertThat(((Number) args[2]).doubleValue()).isEqualTo(3.5);
        JSONObject received = (JSONObject) args[3];
        assertThat(received.getString("name")).isEqualTo("parley");
        assertThat(received.getInt("n")).isEqualTo(3);
        assertThat((byte[]) received.get("blob")).isEqualTo(SMALL);
        assertThat((byte[]) args[4]).isEqualTo(BLOB);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void acksBothWays(Mode mode) throws Exception {
        io.socket.client.Socket client = connected(mode);
        Peer peer = peer("/");

        // the client asks the server for an ack
        CompletableFuture<Object[]> answer = new CompletableFuture<>();
        client.emit("echo-ack", new Object[] {"question", 7, BLOB}, (Ack) answer::complete);
        Object[] acked = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(acked).hasSize(3);
        assertThat(acked[0]).isEqualTo("question");
        assertThat(((Number) acked[1]).intValue()).isEqualTo(7);
        assertThat((byte[]) acked[2]).isEqualTo(BLOB);
        assertThat(peer.received().poll(WAIT.toSeconds(), TimeUnit.SECONDS).get(0)).isEqualTo("question");

        // the server asks the client: the client's handler gets an Ack as its last argument
        CompletableFuture<Object[]> asked = new CompletableFuture<>();
        JSONObject object = new JSONObject().put("k", "v");
        client.on("ask", args -> {
            asked.complete(args);
            ((Ack) args[args.length - 1]).call("reply", 8, blob(90, 7), object);
        });
        Args reply = peer.socket().emitWithAck(WAIT, "ask", "server question", SMALL)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Object[] question = asked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(question).hasSize(3);
        assertThat(question[0]).isEqualTo("server question");
        assertThat((byte[]) question[1]).isEqualTo(SMALL);
        assertThat(question[2]).isInstanceOf(Ack.class);
        assertThat(reply.size()).isEqualTo(4);
        assertThat(reply.getString(0)).isEqualTo("reply");
        assertThat(reply.getLong(1)).isEqualTo(8L);
        assertThat(reply.getBytes(2)).isEqualTo(blob(90, 7));
        assertThat(reply.getJsonObject(3).getString("k")).isEqualTo("v");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void secondNamespaceOverTheSameManager(Mode mode) throws Exception {
        Manager manager = manager(mode);
        io.socket.client.Socket main = socket(manager, "/", Map.of());
        io.socket.client.Socket admin = socket(manager, "/admin", Map.of("token", "secret"));
        awaitConnect(main);
        awaitConnect(admin);

        Peer mainPeer = peer("/");
        Peer adminPeer = peer("/admin");
        assertThat(adminPeer.socket().namespace().name()).isEqualTo("/admin");
        assertThat(adminPeer.socket().handshake().auth().getString("token")).isEqualTo("secret");
        assertThat(mainPeer.socket().handshake().auth().containsKey("token")).isFalse();
        // one Engine.IO connection carries both namespaces
        assertThat(adminPeer.socket().connectionId()).isEqualTo(mainPeer.socket().connectionId());
        assertThat(admin.id()).isEqualTo(adminPeer.socket().id()).isNotEqualTo(main.id());

        CompletableFuture<Object[]> answer = new CompletableFuture<>();
        admin.emit("echo-ack", new Object[] {"to admin", SMALL}, (Ack) answer::complete);
        Object[] acked = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(acked[0]).isEqualTo("to admin");
        assertThat((byte[]) acked[1]).isEqualTo(SMALL);
        assertThat(adminPeer.received().poll(WAIT.toSeconds(), TimeUnit.SECONDS).get(0)).isEqualTo("to admin");
        assertThat(mainPeer.received()).as("nothing crossed to the main namespace").isEmpty();

        // leaving one namespace leaves the other connected
        admin.disconnect();
        assertThat(adminPeer.disconnect().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("client namespace disconnect");
        roundTrip(main);
        assertThat(mainPeer.socket().connected()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void refusedNamespacesGiveConnectErrorWithTheServersMessage(Mode mode) throws Exception {
        Manager manager = manager(mode);
        io.socket.client.Socket main = socket(manager, "/", Map.of());
        awaitConnect(main);

        // failed auth: the middleware's ConnectError, message and data
        JSONObject refused = awaitConnectError(unconnected(manager, "/admin", Map.of("token", "wrong")));
        assertThat(refused.getString("message")).isEqualTo("not authorized");
        assertThat(refused.getJSONObject("data").getInt("code")).isEqualTo(401);
        assertThat(PEERS).doesNotContainKey(testKey + "/admin");

        // a namespace the server does not have
        JSONObject unknown = awaitConnectError(unconnected(manager, "/nowhere", Map.of()));
        assertThat(unknown.getString("message")).isEqualTo("Invalid namespace");

        // the connection and its first namespace are untouched
        roundTrip(main);
        assertThat(peer("/").socket().connected()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void disconnectReasonsOnBothSides(Mode mode) throws Exception {
        // the client leaves
        io.socket.client.Socket leaving = connected(mode);
        Peer leavingPeer = peer("/");
        leaving.disconnect();
        assertThat(leavingPeer.disconnect().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("client namespace disconnect");

        // the server sends the client away
        testKey = UUID.randomUUID().toString();
        io.socket.client.Socket kicked = connected(mode);
        Peer kickedPeer = peer("/");
        CompletableFuture<Object[]> clientSide = new CompletableFuture<>();
        kicked.on(io.socket.client.Socket.EVENT_DISCONNECT, clientSide::complete);
        kickedPeer.socket().disconnect(false);
        assertThat(kickedPeer.disconnect().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("server namespace disconnect");
        assertThat(clientSide.get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly("io server disconnect");
    }

    // ---------------------------------------------------------------- helpers

    /** A Manager of its own (no IO cache), no reconnection, on this test's OkHttp client. */
    private Manager manager(Mode mode) {
        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.transports = mode.transports;
        options.callFactory = http;
        options.webSocketFactory = http;
        options.timeout = WAIT.toMillis();
        Manager manager = new Manager(uri, options);
        CompletableFuture<Object[]> closed = new CompletableFuture<>();
        manager.on(Manager.EVENT_CLOSE, closed::complete);
        managersClosed.add(closed);
        return manager;
    }

    /** A socket of {@code manager} on {@code nsp}, its auth carrying this test's key; connecting. */
    private io.socket.client.Socket socket(Manager manager, String nsp, Map<String, String> auth) {
        io.socket.client.Socket socket = unconnected(manager, nsp, auth);
        socket.connect();
        return socket;
    }

    /** A socket of {@code manager} for {@code nsp}, not connecting yet (its listeners go on first). */
    private io.socket.client.Socket unconnected(Manager manager, String nsp, Map<String, String> auth) {
        IO.Options options = new IO.Options();
        options.auth = new LinkedHashMap<>(auth);
        options.auth.put("test", testKey);
        io.socket.client.Socket socket = manager.socket(nsp, options);
        clientSockets.add(socket);
        return socket;
    }

    private io.socket.client.Socket connected(Mode mode) throws Exception {
        io.socket.client.Socket socket = socket(manager(mode), "/", Map.of());
        awaitConnect(socket);
        return socket;
    }

    private static void awaitConnect(io.socket.client.Socket socket) throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        socket.once(io.socket.client.Socket.EVENT_CONNECT, args -> outcome.complete("connected"));
        socket.once(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> outcome.complete(Arrays.toString(args)));
        if (socket.connected()) {
            outcome.complete("connected");
        }
        assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("connected");
    }

    /**
     * Connects {@code socket} (made by {@link #unconnected}) and returns the error its CONNECT got.
     * The listeners go on before the CONNECT leaves: on an open connection the refusal can come back
     * on the client's event thread before a listener added afterwards (a flake seen in CI).
     */
    private static JSONObject awaitConnectError(io.socket.client.Socket socket) throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        socket.once(io.socket.client.Socket.EVENT_CONNECT, args -> outcome.complete("connected"));
        socket.once(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> outcome.complete(args[0]));
        socket.connect();
        Object error = outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(JSONObject.class);
        assertThat(socket.connected()).isFalse();
        return (JSONObject) error;
    }

    /** One ack round trip on {@code socket}: the connection still carries traffic both ways. */
    private static void roundTrip(io.socket.client.Socket socket) throws Exception {
        CompletableFuture<Object[]> answer = new CompletableFuture<>();
        socket.emit("echo-ack", new Object[] {"ping?"}, (Ack) answer::complete);
        assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly("ping?");
    }

    /** The server's side of this test's socket on {@code nsp}, once the server has it. */
    private Peer peer(String nsp) {
        return await().atMost(WAIT).until(() -> PEERS.get(testKey + nsp), p -> p != null);
    }

    private static byte[] blob(int length, int first) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }
}
