package dev.parley.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Enforces {@code max-payload} on the WebSocket connections of the standalone server before Tyrus
 * reads them, so that an oversized message is closed with 1009 (message too big) whatever its
 * size, like Node, and never buffered. A part of {@link RawReads}, the Grizzly filter on raw bytes
 * right before the HTTP codec, for the connections {@link #watch watched} since their 101 (which
 * are exactly the upgraded ones: {@link #watches}).
 *
 * <p>Tyrus alone answers 1009 only for a frame that fits its read buffer; a larger one overflows
 * the buffer first (1011 "Buffer overflow", logged as a warning with a stack trace), and a header
 * declaring 2^40 bytes makes it buffer up to that size. Here the frame headers are followed
 * ({@link ClientFrameScanner}); where a frame would make its message too big, Tyrus is handed a
 * client close frame 1009 in its place, so it ends the session exactly as for a message too big
 * it found itself (close frame 1009 to the client, {@code onClose} 1009 to the endpoint, the
 * connection closed), and every later byte from the client is dropped. Reads are also cut so
 * that Tyrus's buffer never overflows: see {@link #tyrusBufferSize}.
 */
final class WebSocketFrameLimit {

    /** Where the bytes the limit lets through go: Tyrus, past the HTTP codec ({@link UpgradedReads#toTyrus}). */
    @FunctionalInterface
    interface Frames {
        NextAction handleRead(FilterChainContext ctx) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(WebSocketFrameLimit.class.getName());

    /** Room in Tyrus's buffer, past the largest frame, for the close frame handed to it. */
    private static final int CLOSE_FRAME_ROOM = 256;

    private static final Attribute<ClientFrameScanner> SCANNER =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(WebSocketFrameLimit.class.getName() + ".scanner");

    private final int maxMessage;
    private final byte[] tooBigClose;

    WebSocketFrameLimit(int maxMessage) {
        this.maxMessage = holdable(maxMessage);
        this.tooBigClose = maskedClose(1009, "Message larger than " + this.maxMessage + " bytes");
    }

    /**
     * The read buffer Tyrus needs behind this limit: the largest frame (a {@code maxMessage}
     * payload and the longest header) and the close frame this limit may append.
     */
    static int tyrusBufferSize(int maxMessage) {
        return holdable(maxMessage) + ClientFrameScanner.MAX_HEADER + CLOSE_FRAME_ROOM;
    }

    /** The limit, or less if a frame that large and the close frame would not fit Tyrus's int-sized buffer. */
    private static int holdable(int maxMessage) {
        return Math.min(maxMessage, Integer.MAX_VALUE - ClientFrameScanner.MAX_HEADER - CLOSE_FRAME_ROOM);
    }

    /** From now on the connection's bytes are WebSocket frames (its 101 went out). */
    void watch(Connection<?> connection) {
        SCANNER.set(connection, new ClientFrameScanner(maxMessage));
    }

    /** Whether the connection's bytes are WebSocket frames, held to the limit (a 101 went out). */
    boolean watches(Connection<?> connection) {
        return SCANNER.isSet(connection);
    }

    /**
     * Holds one read of a {@link #watches watched} connection to the limit and hands what passes
     * to {@code frames}; returns the filter's next action. A read that would overflow Tyrus's
     * buffer is handed on in parts: the rest comes back to the filter (a rerun) once Tyrus has
     * taken the first.
     */
    NextAction read(FilterChainContext ctx, Frames frames) throws IOException {
        ClientFrameScanner scanner = SCANNER.get(ctx.getConnection());
        if (scanner.ended()) {
            return ctx.getStopAction(); // the session is closing: nothing more for Tyrus
        }
        Buffer input = ctx.getMessage();
        int start = input.position();
        int end = input.limit();
        int pass = scanner.scan(input, start, end);
        if (scanner.ended()) {
            if (pass < end - start) {
                input.split(start + pass).tryDispose(); // never read: the session ends here
            }
            if (!scanner.tooBig()) {
                return frames.handleRead(ctx); // up to a header Tyrus refuses itself (1002)
            }
            LOG.fine(() -> "WebSocket message over " + maxMessage + " bytes from " + ctx.getConnection().getPeerAddress()
                    + ": closing with 1009");
            Buffer close = Buffers.wrap(ctx.getMemoryManager(), tooBigClose);
            if (pass == 0) {
                input.tryDispose();
                ctx.setMessage(close);
            } else {
                ctx.setMessage(Buffers.appendBuffers(ctx.getMemoryManager(), input, close));
            }
            return frames.handleRead(ctx);
        }
        if (pass == end - start) {
            return frames.handleRead(ctx);
        }
        if (pass == 0) {
            // A header still short of bytes: Grizzly keeps these and appends the next read to them.
            return ctx.getStopAction(input);
        }
        // Tyrus's buffer is full with this much: the rest comes back here once Tyrus has taken it.
        Buffer rest = input.split(start + pass);
        frames.handleRead(ctx);
        ctx.setMessage(rest);
        return ctx.getRerunFilterAction();
    }

    /** A client's close frame, masked with a zero key as clients must mask. */
    private static byte[] maskedClose(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + 4 + 2 + text.length];
        frame[0] = (byte) 0x88; // FIN, close
        frame[1] = (byte) (0x80 | (2 + text.length));
        frame[6] = (byte) (code >>> 8);
        frame[7] = (byte) code;
        System.arraycopy(text, 0, frame, 8, text.length);
        return frame;
    }
}
