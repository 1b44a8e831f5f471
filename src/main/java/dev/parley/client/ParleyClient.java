package dev.parley.client;

import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.socketio.Jsonp;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketDecoder;
import dev.parley.protocol.socketio.SocketPacketEncoder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Java Socket.IO client over one WebSocket (any Jakarta WebSocket client, e.g. Tyrus's): it
 * opens the Engine.IO session, answers the server's pings and closes when they stop, and
 * multiplexes namespaces ({@link #socket}). Depends only on the protocol codecs, JSON-P and the
 * WebSocket client API; JSON-B (e.g. Yasson) only when records or other objects are sent or read
 * (see {@link ClientSocket}).
 * <pre>{@code
 * try (ParleyClient client = ParleyClient.connect(URI.create("http://localhost:3000"), ClientOptions.defaults())) {
 *     ClientSocket chat = client.socket("/chat", Map.of("token", "abc"));
 *     chat.connected().get(5, SECONDS);
 *     chat.emitWithAck(Duration.ofSeconds(5), "msg", "hello").get();
 * }
 * }</pre>
 * Not yet here: long-polling fallback, automatic reconnection, connection state recovery.
 */
public final class ParleyClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ParleyClient.class.getName());

    private final Map<String, ClientSocket> sockets = new ConcurrentHashMap<>();
    private final SocketPacketDecoder decoder = new SocketPacketDecoder(64);
    private final CompletableFuture<String> opened = new CompletableFuture<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-client-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile Session ws;
    private volatile long pingInterval;
    private volatile long pingTimeout;
    private ScheduledFuture<?> heartbeat;

    private ParleyClient() {
    }

    /** Opens the connection to a server at {@code base} (http or ws URL of the host). */
    public static ParleyClient connect(URI base, ClientOptions options) throws IOException {
        ParleyClient client = new ParleyClient();
        String scheme = base.getScheme().equals("https") || base.getScheme().equals("wss") ? "wss" : "ws";
        URI uri = URI.create(scheme + "://" + base.getRawAuthority() + options.path() + "?EIO=4&transport=websocket");
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        try {
            client.ws = container.connectToServer(client.new Glue(), ClientEndpointConfig.Builder.create().build(), uri);
            client.opened.get(options.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (DeploymentException | ExecutionException | TimeoutException e) {
            client.close();
            throw new IOException("cannot connect to " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IOException("interrupted while connecting to " + uri, e);
        }
        return client;
    }

    /** The Engine.IO session id. */
    public String sessionId() {
        return opened.getNow(null);
    }

    /** Joins a namespace with an optional auth payload; see {@link ClientSocket#connected()}. */
    public ClientSocket socket(String namespace, Map<String, ?> auth) {
        return socket(namespace, auth, s -> { });
    }

    /**
     * Joins a namespace like {@link #socket(String, Map)}, with {@code listeners} registering the
     * socket's listeners before its CONNECT goes out: an event the server emits as soon as the
     * socket joins (a welcome) can arrive before this method returns.
     */
    public ClientSocket socket(String namespace, Map<String, ?> auth, Consumer<ClientSocket> listeners) {
        ClientSocket socket = new ClientSocket(this, namespace);
        listeners.accept(socket);
        sockets.put(namespace, socket);
        JsonObject payload = auth == null ? null : (JsonObject) PayloadValues.toJson(auth, new ArrayList<>());
        send(SocketPacket.connect(namespace, payload));
        return socket;
    }

    public boolean isOpen() {
        Session s = ws;
        return s != null && s.isOpen();
    }

    @Override
    public void close() {
        Session s = ws;
        if (s != null && s.isOpen()) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "close", e);
            }
        }
        closed("io client disconnect");
    }

    // ---------------------------------------------------------------- package

    synchronized void send(SocketPacket packet) {
        Session s = ws;
        if (s == null || !s.isOpen()) {
            return;
        }
        try {
            s.getBasicRemote().sendText(EngineCodec.encodeText(EnginePacket.message(SocketPacketEncoder.encode(packet))));
            for (byte[] a : packet.attachments()) {
                s.getBasicRemote().sendBinary(ByteBuffer.wrap(a));
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "send failed", e);
        }
    }

    private synchronized void sendRaw(String frame) {
        try {
            ws.getBasicRemote().sendText(frame);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "send failed", e);
        }
    }

    private void onText(String frame) {
        EnginePacket p;
        try {
            p = EngineCodec.decodeText(frame);
        } catch (MalformedPacketException e) {
            LOG.warning("server sent a malformed packet: " + e.getMessage());
            close();
            return;
        }
        switch (p.type()) {
            case OPEN -> onOpen(p.text());
            case PING -> {
                sendRaw("3");
                armHeartbeat();
            }
            case MESSAGE -> onSocketIo(() -> decoder.decodeText(p.text()));
            case CLOSE -> close();
            default -> {
                // PONG, NOOP, UPGRADE: nothing for a WebSocket-only client
            }
        }
    }

    private void onOpen(String json) {
        try (JsonReader reader = Jsonp.PROVIDER.createReader(new StringReader(json))) {
            JsonObject open = reader.readObject();
            pingInterval = open.getJsonNumber("pingInterval").longValue();
            pingTimeout = open.getJsonNumber("pingTimeout").longValue();
            armHeartbeat();
            opened.complete(open.getString("sid"));
        } catch (RuntimeException e) {
            opened.completeExceptionally(e);
        }
    }

    /** The server pings every pingInterval; silence for pingInterval + pingTimeout means it is gone. */
    private synchronized void armHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (!timer.isShutdown()) {
            heartbeat = timer.schedule(() -> {
                LOG.fine("no ping from the server: closing");
                close();
            }, pingInterval + pingTimeout, TimeUnit.MILLISECONDS);
        }
    }

    private interface Decode {
        SocketPacket run() throws MalformedPacketException;
    }

    private void onSocketIo(Decode decode) {
        SocketPacket packet;
        try {
            synchronized (decoder) {
                packet = decode.run();
            }
        } catch (MalformedPacketException e) {
            LOG.warning("server sent a malformed Socket.IO packet: " + e.getMessage());
            close();
            return;
        }
        if (packet != null) {
            ClientSocket socket = sockets.get(packet.namespace());
            if (socket != null) {
                socket.onPacket(packet);
            }
        }
    }

    private void closed(String reason) {
        opened.completeExceptionally(new IOException("connection closed: " + reason));
        timer.shutdownNow();
        for (ClientSocket s : sockets.values()) {
            s.onClosed(reason);
        }
        sockets.clear();
    }

    /** The WebSocket callbacks. */
    private final class Glue extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            ws = session;
            session.addMessageHandler(new MessageHandler.Whole<String>() {
                @Override
                public void onMessage(String frame) {
                    onText(frame);
                }
            });
            session.addMessageHandler(new MessageHandler.Whole<byte[]>() {
                @Override
                public void onMessage(byte[] frame) {
                    onSocketIo(() -> decoder.decodeBinary(frame));
                }
            });
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            closed("transport close");
        }

        @Override
        public void onError(Session session, Throwable error) {
            LOG.log(Level.FINE, "websocket error", error);
        }
    }
}
