package dev.parley.server;

import dev.parley.engine.Delivery;
import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineSession;
import dev.parley.engine.Transport;
import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.protocol.engineio.EnginePacketType;
import dev.parley.protocol.socketio.SocketPacket;
import dev.parley.protocol.socketio.SocketPacketDecoder;
import dev.parley.protocol.socketio.SocketPacketType;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One client connection for server unit tests: a real {@link EngineSession} of a real
 * {@link ParleyServer}, opened over this recording {@link Transport} (a WebSocket as far as the
 * session knows). What the server sends is decoded back into Socket.IO packets, with how each send
 * was asked to leave and the encoded packets themselves (to see what recipients share); what the
 * test sends goes in through {@link EngineSession#onPacket} as from a socket.
 */
final class RecordingConnection implements Transport {

    /** One Socket.IO packet the server sent, with the encoded Engine.IO packet that carried its text. */
    record Received(SocketPacket packet, EncodedPacket carrier, Delivery delivery) {
    }

    private final SocketPacketDecoder decoder = new SocketPacketDecoder(10);
    private final EngineSession session;
    // Guarded by this.
    private final List<Received> received = new ArrayList<>();
    private boolean writable = true;
    private boolean closed;
    private EncodedPacket carrier;

    private RecordingConnection(ParleyServer server) {
        String query = "EIO=4&transport=websocket";
        EngineRequest request = new EngineRequest("GET", "/socket.io/?" + query, EngineRequest.parseQuery(query),
                Map.of(), "127.0.0.1", false);
        this.session = server.engine().handshake(request, this);
    }

    /** Opens a connection to {@code server}; no namespace joined yet. */
    static RecordingConnection open(ParleyServer server) {
        return new RecordingConnection(server);
    }

    EngineSession session() {
        return session;
    }

    // ---------------------------------------------------------------- the client's side

    /** Sends a Socket.IO packet in its text form, e.g. {@code 2["hi"]}. */
    void sendText(String socketIoText) {
        session.onPacket(this, EnginePacket.message(socketIoText));
    }

    /** Connects to a namespace and returns the socket id from the server's CONNECT reply. */
    String connect(String nsp) {
        int before = received().size();
        sendText(nsp.equals("/") ? "0" : "0" + nsp + ",");
        for (Received r : received().subList(before, received().size())) {
            if (r.packet().type() == SocketPacketType.CONNECT && r.packet().namespace().equals(nsp)) {
                return ((JsonObject) r.packet().data()).getString("sid");
            }
        }
        throw new AssertionError("no CONNECT reply for " + nsp + ", got " + received());
    }

    /**
     * Sends a CONNECT with this data (JSON text, e.g. {@code {"pid":"p","offset":"o"}}) and returns
     * the data of the server's CONNECT reply ({@code sid}, and {@code pid} with recovery on).
     */
    JsonObject connectWith(String nsp, String json) {
        int before = received().size();
        sendText((nsp.equals("/") ? "0" : "0" + nsp + ",") + json);
        return awaitConnectReply(nsp, before);
    }

    /**
     * The data of the first CONNECT reply for {@code nsp} among the packets received after the
     * first {@code before}, waited for up to 5 s: mostly there at once, later when the server
     * waits (a recovery superseding a socket still connected elsewhere).
     */
    synchronized JsonObject awaitConnectReply(String nsp, int before) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            for (Received r : received.subList(before, received.size())) {
                if (r.packet().type() == SocketPacketType.CONNECT && r.packet().namespace().equals(nsp)) {
                    return (JsonObject) r.packet().data();
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no CONNECT reply for " + nsp + ", got " + received);
            }
            try {
                wait(left / 1_000_000 + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted awaiting a CONNECT reply", e);
            }
        }
    }

    /** The connection is lost, as when the network drops: the session ends with "transport close". */
    void lose() {
        session.onTransportClose(this, "connection lost");
    }

    /** Makes the connection unable to take data now, as a socket whose buffer is full would. */
    synchronized void setWritable(boolean value) {
        writable = value;
    }

    synchronized List<Received> received() {
        return new ArrayList<>(received);
    }

    /** The EVENT packets received, as {@code name:args} strings, e.g. {@code news:[1]} or {@code hi:["a", 2]}. */
    List<String> events() {
        List<String> out = new ArrayList<>();
        for (Received r : received()) {
            SocketPacketType t = r.packet().type();
            if (t == SocketPacketType.EVENT || t == SocketPacketType.BINARY_EVENT) {
                var data = r.packet().data().asJsonArray();
                out.add(data.getString(0) + ":" + data.subList(1, data.size()));
            }
        }
        return out;
    }

    /** The last EVENT received with this name. */
    Received lastEvent(String name) {
        List<Received> all = received();
        for (int i = all.size() - 1; i >= 0; i--) {
            SocketPacket p = all.get(i).packet();
            if ((p.type() == SocketPacketType.EVENT || p.type() == SocketPacketType.BINARY_EVENT)
                    && p.data().asJsonArray().getString(0).equals(name)) {
                return all.get(i);
            }
        }
        throw new AssertionError("no event " + name + " in " + all);
    }

    synchronized boolean closed() {
        return closed;
    }

    // ---------------------------------------------------------------- Transport

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public synchronized boolean isWritable() {
        return writable && !closed;
    }

    @Override
    public synchronized void send(List<EncodedPacket> packets, Delivery delivery) {
        for (EncodedPacket p : packets) {
            if (p.packet().type() != EnginePacketType.MESSAGE) {
                continue; // OPEN, PING: the engine's business
            }
            try {
                if (!p.isBinary()) {
                    carrier = p;
                }
                SocketPacket packet = p.isBinary() ? decoder.decodeBinary(p.packet().binary())
                        : decoder.decodeText(p.packet().text());
                if (packet != null) {
                    received.add(new Received(packet, carrier, delivery));
                    notifyAll();
                }
            } catch (MalformedPacketException e) {
                throw new AssertionError("the server sent a malformed packet: " + p, e);
            }
        }
    }

    @Override
    public synchronized void close(boolean sendClosePacket) {
        closed = true;
    }
}
