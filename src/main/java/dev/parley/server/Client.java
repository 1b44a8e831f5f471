package dev.parley.server;

import dev.parley.auth.Identity;
import dev.parley.engine.Delivery;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Engine.IO connection as Socket.IO sees it: it decodes Socket.IO packets (reassembling binary
 * attachments), routes them to the connection's sockets, one per namespace, and closes the
 * connection when no namespace is joined within connectTimeout, when a packet does not parse or
 * its announced attachments do not all arrive within the attachment timeout ({@code parse error}),
 * and, as the reference server does, when a packet does not fit the connection's state (a packet
 * for a namespace not joined, a CONNECT_ERROR from the client: {@code forced server close}). A
 * CONNECT to a namespace already joined is answered with the socket's id again, never ignored.
 */
final class Client implements EngineSessionListener {

    private static final Logger LOG = Logger.getLogger(Client.class.getName());

    private final ParleyServer server;
    private final EngineSession conn;
    /**
     * This connection's own decoder, created by its first binary packet (text first, then attachments:
     * only then is there state to keep); until then text packets are parsed by the server's shared,
     * stateless {@link SocketPacketDecoder#parseWhole}. Most connections never send binary, and the
     * decoder was 48 bytes per idle connection. Guarded by this client.
     */
    private SocketPacketDecoder decoder;
    /*
     * The connection's sockets by namespace: null while there is none, the socket itself while there is
     * one (most connections: its namespace is its key), else an immutable map of them; replaced whole
     * under this client's lock (a socket joins or leaves rarely, it is read for every packet). A one-entry
     * Map.of was 32 bytes per connection, a ConcurrentHashMap with its table and node about 190. The lock
     * is this client: package-private, handed to nothing that locks it.
     */
    private volatile Object sockets;
    /** Null once cancelled: a cancelled task kept here would stay in the heap for the connection's life. */
    private volatile ScheduledFuture<?> connectTimeout;
    private final ScheduledFuture<?> expiry;
    // Guarded by this client: the number of the last packet that waited for attachments (a deadline set
    // for an earlier one finds it done) and the deadline of the one waiting now.
    private long awaitedPacket;
    private ScheduledFuture<?> attachmentDeadline;

    Client(ParleyServer server, EngineSession conn) {
        this.server = server;
        this.conn = conn;
        Identity identity = identity();
        this.expiry = server.options().disconnectOnExpiry() && identity != null && identity.expiresAt() != null
                ? server.atExpiry(identity, () -> {
                    LOG.fine(() -> "closing " + conn.id() + ": credentials expired");
                    disconnectAll();
                })
                : null;
        this.connectTimeout = server.schedule(() -> {
            if (sockets == null) {
                conn.close();
            }
        }, server.options().connectTimeoutMillis());
    }

    EngineSession conn() {
        return conn;
    }

    String id() {
        return conn.id();
    }

    /**
     * The identity the handshake's authenticator gave this connection, or {@code null}: the engine
     * session's attachment, which it keeps anyway (no field of its own here).
     */
    Identity identity() {
        return conn.attachment() instanceof Identity id ? id : null;
    }

    /** How many namespaces this connection has joined. */
    int namespaceCount() {
        Object s = sockets;
        return s == null ? 0 : s instanceof Socket ? 1 : ((Map<?, ?>) s).size();
    }

    @Override
    public void onUpgrade(EngineSession session, String transport) {
        ServerObserver observer = server.observer();
        if (observer != null) {
            sockets().forEach(socket -> observer.socketUpgraded(socket, transport));
        }
    }

    @Override
    public void onMessage(EngineSession session, EnginePacket message) {
        SocketPacket packet;
        try {
            // Called in arrival order by one transport thread at a time; the decoder's state is ours.
            synchronized (this) {
                packet = decode(message);
                if (packet == null && !message.isBinary()) {
                    attachmentDeadline = attachmentDeadline(++awaitedPacket);
                } else if (packet != null && message.isBinary()) {
                    attachmentDeadline.cancel(false);
                    attachmentDeadline = null; // not kept, cancelled, for the connection's life
                }
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

    /** The packet {@code message} completes, or null while attachments are due. Holding this client's lock. */
    private SocketPacket decode(EnginePacket message) throws MalformedPacketException {
        if (decoder == null) {
            if (!message.isBinary()) {
                SocketPacket whole = server.packetParser().parseWhole(message.text());
                if (!whole.type().isBinary()) {
                    return whole;
                }
            }
            // A binary packet announced (parsed again below, keeping its state), or binary data unannounced
            // (refused below as it always was).
            decoder = new SocketPacketDecoder(server.options().maxAttachments(), server.options().maxAttachmentBytes());
        }
        return message.isBinary() ? decoder.decodeBinary(message.binary()) : decoder.decodeText(message.text());
    }

    /** Closes the connection if the packet numbered {@code seq} still misses attachments when its time is up. */
    private ScheduledFuture<?> attachmentDeadline(long seq) {
        long timeout = server.options().attachmentTimeoutMillis();
        return server.schedule(() -> {
            synchronized (this) {
                if (awaitedPacket != seq || decoder == null || !decoder.awaitingAttachments()) {
                    return;
                }
                decoder.reset();
            }
            String why = "binary attachments still missing after " + timeout + " ms";
            LOG.fine(() -> "closing " + conn.id() + ": " + why);
            closeWith(DisconnectReason.PARSE_ERROR, why);
        }, timeout);
    }

    private void route(SocketPacket packet) {
        Socket socket = socket(packet.namespace());
        if (packet.type() == SocketPacketType.CONNECT && socket == null) {
            JsonObject auth = packet.data() instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
            server.connect(this, packet.namespace(), auth);
        } else if (packet.type() == SocketPacketType.CONNECT) {
            // socket.io-client sends a second CONNECT when connect() is called on a socket that
            // connected by itself. The reference server, whose join completes a tick later, usually
            // sees both before either joined and answers both; here the first has joined already:
            // answer with the same socket rather than leave the client waiting or cut it off.
            socket.sendConnectReply();
        } else if (socket != null && packet.type() != SocketPacketType.CONNECT_ERROR) {
            socket.onPacket(packet);
        } else {
            // As the reference server: a client that lost track of its namespaces is closed rather
            // than left waiting for answers that will not come.
            String why = "invalid state: " + packet.type() + " for namespace " + packet.namespace()
                    + (socket == null ? ", not joined" : "");
            LOG.fine(() -> "closing " + conn.id() + ": " + why);
            closeWith(DisconnectReason.FORCED_SERVER_CLOSE, why);
        }
    }

    /** A socket finished connecting to its namespace. */
    void added(Socket socket) {
        synchronized (this) {
            Map<String, Socket> next = new HashMap<>();
            sockets().forEach(s -> next.put(s.namespace().name(), s));
            next.put(socket.namespace().name(), socket);
            sockets = next.size() == 1 ? socket : Map.copyOf(next);
        }
        cancelConnectTimeout();
    }

    private void cancelConnectTimeout() {
        ScheduledFuture<?> task = connectTimeout;
        if (task != null) {
            connectTimeout = null;
            task.cancel(false);
        }
    }

    /** Whether a socket is already connected to this namespace on this connection. */
    boolean hasNamespace(String name) {
        return socket(name) != null;
    }

    /** This connection's socket in namespace {@code name}, or {@code null}. */
    @SuppressWarnings("unchecked")
    private Socket socket(String name) {
        Object s = sockets;
        if (s instanceof Socket one) {
            return one.namespace().name().equals(name) ? one : null;
        }
        return s == null ? null : ((Map<String, Socket>) s).get(name);
    }

    /** This connection's sockets, a snapshot. */
    @SuppressWarnings("unchecked")
    private Collection<Socket> sockets() {
        Object s = sockets;
        if (s instanceof Socket one) {
            return List.of(one);
        }
        return s == null ? List.of() : ((Map<String, Socket>) s).values();
    }

    void removed(Socket socket) {
        synchronized (this) {
            if (socket(socket.namespace().name()) == socket) {
                Map<String, Socket> next = new HashMap<>();
                sockets().forEach(s -> next.put(s.namespace().name(), s));
                next.remove(socket.namespace().name());
                sockets = next.isEmpty() ? null : next.size() == 1 ? next.values().iterator().next() : Map.copyOf(next);
            }
        }
    }

    boolean isOpen() {
        return conn.state() == EngineSession.State.OPEN;
    }

    /**
     * Sends an encoded packet; a volatile one is dropped when the transport cannot take it now, or
     * when the client has as much waiting as its outbound bound allows (the session drops it first).
     * {@code delivery} is {@link Delivery#BATCH} for one recipient of a broadcast, else {@link Delivery#NOW}.
     */
    void write(Outgoing packet, boolean volatileSend, Delivery delivery) {
        if (volatileSend && !conn.transport().isWritable()) {
            return;
        }
        conn.sendAll(packet.packets(), delivery, volatileSend);
    }

    /** Sends a packet to this connection alone, at once (a reply, an ack, a CONNECT). */
    void write(SocketPacket packet) {
        write(packet, true);
    }

    /** As {@link #write(SocketPacket)}, with Socket.IO's {@code compress} flag. */
    void write(SocketPacket packet, boolean compress) {
        write(Outgoing.of(packet).compressed(compress), false, Delivery.NOW);
    }

    /** Disconnects every socket of this connection, then closes the connection. */
    void disconnectAll() {
        for (Socket s : new ArrayList<>(sockets())) {
            s.disconnect(false);
        }
        conn.close();
    }

    /**
     * Its client came back on another connection while this one still looked open (a recovery
     * claimed one of its sessions): every socket leaves as on a closed transport, a recoverable
     * reason, so each session is stored now, then the connection is closed. Its later close
     * callback finds no socket left.
     */
    void closeAsLost() {
        closeWith(DisconnectReason.TRANSPORT_CLOSE, "transport close: the client came back on a new connection");
    }

    private void closeWith(DisconnectReason reason, String description) {
        closeSockets(reason, description);
        conn.close();
    }

    private void closeSockets(DisconnectReason reason, String description) {
        List<Socket> all = new ArrayList<>(sockets());
        for (Socket s : all) {
            s.onClose(reason, description);
        }
    }

    @Override
    public void onClose(EngineSession session, EngineCloseReason reason, String description) {
        cancelConnectTimeout();
        if (expiry != null) {
            expiry.cancel(false);
        }
        DisconnectReason why = DisconnectReason.of(reason);
        closeSockets(why, description);
        synchronized (this) {
            if (decoder != null) {
                decoder.reset();
            }
            if (attachmentDeadline != null) {
                attachmentDeadline.cancel(false);
            }
        }
    }
}
