package dev.parley.client;

import dev.parley.protocol.MalformedPacketException;
import dev.parley.protocol.engineio.EngineCodec;
import dev.parley.protocol.engineio.EnginePacket;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket transport: one Engine.IO packet per frame, binary messages as binary frames. Frames are read on
 * the WebSocket client's thread; writes block the writing thread (the session serialises them). The sink can be
 * swapped ({@link #sink(Sink)}): an upgrade probe reads {@code 3probe} itself, then hands the transport over.
 */
final class WebSocketTransport extends Endpoint implements Transport {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class.getName());

    private volatile Sink sink;
    private volatile Session session;
    private volatile boolean closed;

    private WebSocketTransport(Sink sink) {
        this.sink = sink;
    }

    /**
     * Opens a WebSocket to {@code uri}; blocks for the handshake (the caller bounds it).
     *
     * @throws IOException when the handshake fails or is refused
     */
    static WebSocketTransport open(WebSocketContainer container, ClientEndpointConfig config, URI uri, Sink sink)
            throws IOException {
        WebSocketTransport t = new WebSocketTransport(sink);
        try {
            container.connectToServer(t, config, uri);
        } catch (DeploymentException e) {
            throw new IOException("websocket handshake with " + uri + " failed: " + causes(e), e);
        }
        return t;
    }

    /** The messages of an exception and its causes (Tyrus says "Handshake error." and puts the status below). */
    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 500; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && b.indexOf(m) < 0) {
                b.append(b.length() == 0 ? "" : ": ").append(m);
            }
        }
        return b.toString();
    }

    void sink(Sink newSink) {
        sink = newSink;
    }

    @Override
    public String name() {
        return "websocket";
    }

    boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen() && !closed;
    }

    @Override
    public boolean writable() {
        return isOpen();
    }

    @Override
    public void write(List<EnginePacket> packets) throws IOException {
        Session s = session;
        if (s == null || !s.isOpen()) {
            throw new IOException("websocket not open");
        }
        boolean first = true;
        for (EnginePacket p : packets) {
            try {
                if (p.isBinary()) {
                    s.getBasicRemote().sendBinary(ByteBuffer.wrap(p.binary()));
                } else {
                    s.getBasicRemote().sendText(EngineCodec.encodeText(p));
                }
            } catch (IOException | RuntimeException e) {
                if (first) {
                    throw e instanceof IOException io ? io : new IOException(e);
                }
                // what went before may have arrived: sending it again could deliver it twice
                LOG.log(Level.FINE, "send failed", e);
                return;
            }
            first = false;
        }
    }

    @Override
    public void close() {
        closed = true;
        Session s = session;
        if (s != null && s.isOpen()) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "close", e);
            }
        }
    }

    @Override
    public void onOpen(Session s, EndpointConfig config) {
        session = s;
        s.addMessageHandler(new MessageHandler.Whole<String>() {
            @Override
            public void onMessage(String frame) {
                EnginePacket p;
                try {
                    p = EngineCodec.decodeText(frame);
                } catch (MalformedPacketException e) {
                    LOG.warning("server sent a malformed packet: " + e.getMessage());
                    sink.closed(WebSocketTransport.this, "parse error");
                    return;
                }
                sink.packet(WebSocketTransport.this, p);
            }
        });
        s.addMessageHandler(new MessageHandler.Whole<byte[]>() {
            @Override
            public void onMessage(byte[] frame) {
                sink.packet(WebSocketTransport.this, EngineCodec.decodeBinary(frame));
            }
        });
    }

    @Override
    public void onClose(Session s, CloseReason reason) {
        if (!closed) {
            closed = true;
            sink.closed(this, "transport close");
        }
    }

    @Override
    public void onError(Session s, Throwable error) {
        // onClose follows and reports the loss
        LOG.log(Level.FINE, "websocket error", error);
    }
}
