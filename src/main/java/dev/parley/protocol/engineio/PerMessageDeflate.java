package dev.parley.protocol.engineio;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The payload transform of permessage-deflate (RFC 7692 section 7.2): a message is compressed
 * with raw DEFLATE, flushed with a sync flush, and the flush's trailing {@code 00 00 ff ff} left
 * off; the receiver appends it back before inflating. Parley always compresses without context
 * takeover (it negotiates {@code server_no_context_takeover}), so a message's compressed form
 * does not depend on the connection and a broadcast is compressed once for all recipients
 * ({@link EncodedPacket#webSocketFrame(boolean)}). Pure functions, no I/O; thread-safe.
 */
public final class PerMessageDeflate {

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    /** Deflaters are costly to make (native state of about 256 KiB): a few are kept for reuse. */
    private static final int POOLED = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final ConcurrentLinkedQueue<Deflater> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOL_SIZE = new AtomicInteger();

    private PerMessageDeflate() {
    }

    /** The compressed payload of one message made of {@code payload} (no context from earlier messages). */
    public static byte[] deflate(byte[] payload) {
        Deflater d = POOL.poll();
        if (d == null) {
            d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        } else {
            POOL_SIZE.decrementAndGet();
        }
        try {
            d.setInput(payload);
            byte[] out = new byte[Math.max(64, payload.length / 2 + 16)];
            int len = 0;
            while (true) {
                len += d.deflate(out, len, out.length - len, Deflater.SYNC_FLUSH);
                if (len < out.length) {
                    break; // the flush fitted: everything is out
                }
                out = Arrays.copyOf(out, out.length * 2);
            }
            // A sync flush ends with an empty stored block, 00 00 ff ff: the receiver adds it back.
            int end = len >= 4 && endsWithTail(out, len) ? len - 4 : len;
            if (end == 0) {
                return new byte[] {0}; // an empty message (section 7.2.3.6)
            }
            return Arrays.copyOf(out, end);
        } finally {
            d.reset();
            if (POOL_SIZE.incrementAndGet() <= POOLED) {
                POOL.offer(d);
            } else {
                POOL_SIZE.decrementAndGet();
                d.end();
            }
        }
    }

    private static boolean endsWithTail(byte[] b, int len) {
        return b[len - 4] == 0 && b[len - 3] == 0 && b[len - 2] == (byte) 0xFF && b[len - 1] == (byte) 0xFF;
    }

    /**
     * The inflating side of one connection: the messages a client compressed, in order, with its
     * context kept from one message to the next (the client's default). Each message is bounded: one
     * that inflates to more than {@code maxMessage} bytes is refused before more is produced, so a
     * small compressed frame cannot fill the heap. Not thread-safe: one connection's frames come in
     * order; {@link #close()} frees the native state.
     */
    public static final class Inflation implements AutoCloseable {

        private final Inflater inflater = new Inflater(true);
        private final int maxMessage;
        private byte[] out = new byte[256];
        private int length;

        /** @param maxMessage most bytes one message may inflate to */
        public Inflation(int maxMessage) {
            this.maxMessage = maxMessage;
        }

        /**
         * Inflates the next piece of the current message ({@code last}: its final fragment) and, for
         * the last piece, returns the whole inflated message; null before.
         *
         * @throws TooLarge     when the message inflates past {@code maxMessage}
         * @throws DataFormatException when the bytes are not DEFLATE data
         */
        public byte[] inflate(byte[] compressed, boolean last) throws DataFormatException, TooLarge {
            feed(compressed);
            if (!last) {
                return null;
            }
            if (!inflater.finished()) {
                feed(TAIL);
            }
            if (inflater.finished()) {
                inflater.reset(); // the client ended its stream (BFINAL): the next message starts a new one
            }
            byte[] message = Arrays.copyOf(out, length);
            length = 0;
            if (out.length > 64 * 1024) {
                out = new byte[256]; // do not keep a large buffer for an idle connection
            }
            return message;
        }

        private void feed(byte[] input) throws DataFormatException, TooLarge {
            inflater.setInput(input);
            while (!inflater.needsInput() && !inflater.finished()) {
                if (length == out.length) {
                    if (length >= maxMessage) {
                        throw new TooLarge(maxMessage);
                    }
                    out = Arrays.copyOf(out, (int) Math.min((long) maxMessage + 1, out.length * 2L));
                }
                int n = inflater.inflate(out, length, out.length - length);
                length += n;
                if (length > maxMessage) {
                    throw new TooLarge(maxMessage);
                }
                if (n == 0 && inflater.needsDictionary()) {
                    throw new DataFormatException("a preset dictionary is not allowed");
                }
            }
        }

        @Override
        public void close() {
            inflater.end();
        }
    }

    /** A compressed message that inflates to more bytes than allowed. */
    public static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge(int max) {
            super("message inflates to more than " + max + " bytes");
        }
    }
}
