package dev.parley.transport.websocket;

import dev.parley.engine.Compression;
import dev.parley.protocol.engineio.PerMessageDeflate;
import jakarta.websocket.Extension;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.DataFormatException;
import org.glassfish.tyrus.core.extension.ExtendedExtension;
import org.glassfish.tyrus.core.frame.Frame;

/**
 * permessage-deflate (RFC 7692) as a Tyrus extension, Parley's own rather than Tyrus's optional
 * module, because Parley's native writers send pre-built frames below Tyrus: Parley answers every
 * offer with {@code server_no_context_takeover}, so each server message is compressed on its own
 * and a broadcast's compressed frame ({@link dev.parley.protocol.engineio.EncodedPacket#webSocketFrame(boolean)})
 * is the same bytes for every connection, whichever path writes it. Frames Tyrus sends itself (the
 * portable API, {@code websocket-writes=portable}) are compressed here from the threshold on; close
 * and other control frames never are.
 *
 * <p>Inbound, a client's compressed messages are inflated with the client's context kept between
 * messages (its default), each bounded by {@code max-payload}: a message inflating past it, or bytes
 * that are not DEFLATE data, leave the frame marked RSV1, which Tyrus refuses as a protocol error
 * (close 1002), so the offender's connection ends and no one else's. Loaded only where Tyrus's
 * classes are visible (the standalone server, Payara); its per-connection state lives in Tyrus's
 * extension context and is freed in {@link #destroy}.
 */
final class TyrusPerMessageDeflate implements ExtendedExtension {

    private static final Logger LOG = Logger.getLogger(TyrusPerMessageDeflate.class.getName());
    private static final String STATE = "dev.parley.permessage-deflate";

    private final Compression compression;
    private final int maxMessage;

    private TyrusPerMessageDeflate(Compression compression, int maxMessage) {
        this.compression = compression;
        this.maxMessage = maxMessage;
    }

    /** The extension to install on an endpoint; called only where Tyrus is visible. */
    static Extension create(Compression compression, int maxMessage) {
        return new TyrusPerMessageDeflate(compression, maxMessage);
    }

    @Override
    public String getName() {
        return DeflateOffers.NAME;
    }

    @Override
    public List<Parameter> getParameters() {
        return List.of();
    }

    @Override
    public List<Parameter> onExtensionNegotiation(ExtensionContext context, List<Parameter> requested) {
        context.getProperties().put(STATE, new Inbound(new PerMessageDeflate.Inflation(maxMessage)));
        List<Parameter> response = new ArrayList<>(2);
        response.add(DeflateOffers.parameter("server_no_context_takeover"));
        for (Parameter p : requested) {
            if (p.getName().equals("client_no_context_takeover")) {
                response.add(DeflateOffers.parameter("client_no_context_takeover"));
            }
        }
        return response;
    }

    @Override
    public void onHandshakeResponse(ExtensionContext context, List<Parameter> responseParameters) {
        // Client side only.
    }

    @Override
    public Frame processIncoming(ExtensionContext context, Frame frame) {
        if (frame.isControlFrame() || !(context.getProperties().get(STATE) instanceof Inbound in)) {
            return frame;
        }
        synchronized (in) {
            return in.process(frame);
        }
    }

    @Override
    public Frame processOutgoing(ExtensionContext context, Frame frame) {
        byte opcode = frame.getOpcode();
        if (frame.isControlFrame() || frame.isRsv1() || !frame.isFin() || (opcode != 1 && opcode != 2)
                || !compression.deflatesMessage(true, (int) Math.min(Integer.MAX_VALUE, frame.getPayloadLength()))) {
            return frame; // an uncompressed message (fragmented ones too) is always allowed
        }
        byte[] compressed = PerMessageDeflate.deflate(frame.getPayloadData());
        return Frame.builder(frame).rsv1(true).payloadData(compressed).payloadLength(compressed.length).build();
    }

    @Override
    public void destroy(ExtensionContext context) {
        if (context.getProperties().remove(STATE) instanceof Inbound in) {
            synchronized (in) {
                in.close();
            }
        }
    }

    /** One connection's inbound side: whether the message in progress is compressed, and its inflater. */
    private static final class Inbound {

        private final PerMessageDeflate.Inflation inflation;
        private boolean compressedMessage;
        private boolean failed;
        private boolean closed;

        Inbound(PerMessageDeflate.Inflation inflation) {
            this.inflation = inflation;
        }

        Frame process(Frame frame) {
            if (failed || closed) {
                return refused(frame);
            }
            if (frame.getOpcode() != 0) {
                compressedMessage = frame.isRsv1(); // a new message: RSV1 on its first frame only
            } else if (frame.isRsv1()) {
                return refused(frame); // RSV1 on a continuation frame is a protocol error
            }
            if (!compressedMessage) {
                return frame;
            }
            try {
                byte[] message = inflation.inflate(frame.getPayloadData(), frame.isFin());
                byte[] payload = message == null ? new byte[0] : message;
                // Earlier fragments go on empty, the last one carries the whole inflated message.
                return Frame.builder(frame).rsv1(false).payloadData(payload).payloadLength(payload.length).build();
            } catch (DataFormatException | PerMessageDeflate.TooLarge e) {
                LOG.log(Level.FINE, "refusing a compressed WebSocket message: {0}", e.getMessage());
                failed = true;
                return refused(frame);
            }
        }

        /** Left with RSV1 set, which Tyrus refuses: the connection closes with 1002 (protocol error). */
        private static Frame refused(Frame frame) {
            return Frame.builder(frame).rsv1(true).build();
        }

        void close() {
            if (!closed) {
                closed = true;
                inflation.close();
            }
        }
    }
}
