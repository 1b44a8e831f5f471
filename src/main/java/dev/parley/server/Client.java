package dev.parley.server;

import dev.parley.auth.Identity;
import dev.parley.engine.EngineCloseReason;
import dev.parley.engine.EngineSession;
import dev.parley.engine.EngineSessionListener;
import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketDecoder;
import dev.parley.protocol.socketio.SocketPacketType;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Engine.IO connection as Socket.IO sees it: it decodes Socket.IO packets (reassembling binary
 * attachments), routes them to the connection's sockets, one per namespace, and closes the
 * connection when no namespace is joined within connectTimeout or a packet does not parse.
 */
final class Client implements EngineSessionListener {

    private static final Logger LOG = Logger.getLogger(Client.class.getName());

    private final ParleyServer server;
    private final EngineSession conn;
    private final SocketPacketDecoder decoder;
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> connectTimeout;
    private final Identity identity;
    private final ScheduledFuture<?> expiry;

    Client(ParleyServer server, EngineSession conn) {
        this.server = server;
        this.conn = conn;
        this.identity = conn.attachment() instanceof Identity id ? id : null;
        this.expiry = server.options().disconnectOnExpiry() && identity != null && identity.expiresAt() != null
                ? server.atExpiry(identity, () -> {
                    LOG.fine(() -> "closing " + conn.id() + ": credentials expired");
                    disconnectAll();
                })
                : null;
        this.decoder = new SocketPacketDecoder(server.options().maxAttachments());
        this.connectTimeout = server.timer().schedule(() -> {
            if (sockets.isEmpty()) {
                conn.close();
            }
        }, server.options().connectTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    EngineSession conn() {
        return conn;
    }

    String id() {
        return conn.id();
    }

    /** The identity the handshake's authenticator gave this connection, or {@code null}. */
    Identity identity() {
        return identity;
    }

    /** How many namespaces this connection has joined. */
    int namespaceCount() {
        return sockets.size();
    }

    @Override
    public void onMessage(EngineSession session, EnginePacket message) {
        SocketPacket packet;
        try {
            // Called in arrival order by one transport thread at a time; the decoder's state is ours.
            synchronized (decoder) {
                packet = message.isBinary() ? decoder.decodeBinary(message.binary()) : decoder.decodeText(message.text());
            }
        } catch (MalformedPacketException e) {
            LOG.log(Level.FINE, () -> "closing " + conn.id() + ": " + e.getMessage());
            closeWith(DisconnectReason.PARSE_ERROR, e.getMessage());
            return;
        }
        if (packet != null) {
            route(packet);
        }
    }

    private void route(SocketPacket packet) {
        if (packet.type() == SocketPacketType.CONNECT) {
            JsonObject auth = packet.data() instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
            server.connect(this, packet.namespace(), auth);
            return;
        }
        Socket socket = sockets.get(packet.namespace());
        if (socket != null) {
            socket.onPacket(packet);
        }
    }

    /** A socket finished connecting to its namespace. */
    void added(Socket socket) {
        sockets.put(socket.namespace().name(), socket);
        connectTimeout.cancel(false);
    }

    /** Whether a socket is already connected to this namespace on this connection. */
    boolean hasNamespace(String name) {
        return sockets.containsKey(name);
    }

    void removed(Socket socket) {
        sockets.remove(socket.namespace().name(), socket);
    }

    boolean isOpen() {
        return conn.state() == EngineSession.State.OPEN;
    }

    /** Sends an encoded packet; a volatile one is dropped when the transport cannot take it now. */
    void write(Outgoing packet, boolean volatileSend) {
        if (volatileSend && !conn.transport().isWritable()) {
            return;
        }
        conn.sendAll(packet.packets());
    }

    void write(SocketPacket packet) {
        write(Outgoing.of(packet), false);
    }

    /** Disconnects every socket of this connection, then closes the connection. */
    void disconnectAll() {
        for (Socket s : new ArrayList<>(sockets.values())) {
            s.disconnect(false);
        }
        conn.close();
    }

    private void closeWith(DisconnectReason reason, String description) {
        closeSockets(reason, description);
        conn.close();
    }

    private void closeSockets(DisconnectReason reason, String description) {
        List<Socket> all = new ArrayList<>(sockets.values());
        for (Socket s : all) {
            s.onClose(reason, description);
        }
    }

    @Override
    public void onClose(EngineSession session, EngineCloseReason reason, String description) {
        connectTimeout.cancel(false);
        if (expiry != null) {
            expiry.cancel(false);
        }
        closeSockets(DisconnectReason.of(reason), description);
        synchronized (decoder) {
            decoder.reset();
        }
    }
}
