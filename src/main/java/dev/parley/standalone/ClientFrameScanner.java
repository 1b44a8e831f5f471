package dev.parley.standalone;

import org.glassfish.grizzly.Buffer;

/**
 * Follows the frame boundaries of one WebSocket connection's client-to-server byte stream (RFC
 * 6455 §5.2: FIN/opcode byte, mask bit and 7-bit length, 16- or 64-bit extended length, 4-byte
 * mask, payload), reading headers only, never holding payload. It tells how much of what arrived
 * may go on to Tyrus now:
 * <ul>
 * <li>not a frame header that is incomplete (it waits for its missing bytes, which may come in
 * later reads), nor the header of a data frame whose payload, or whose message with the fragments
 * before it, exceeds {@code maxMessage}: there the stream {@link #tooBig() is too big} and must
 * end;</li>
 * <li>no more than Tyrus's read buffer holds: Tyrus appends each read to the unfinished frame it
 * keeps and fails with "Buffer overflow" past its size, so a read is cut where that would
 * happen (its size, the largest frame: {@code maxMessage + MAX_HEADER} bytes counting the unfinished
 * frame).</li>
 * </ul>
 * Control frames do not count towards messages. A control frame declaring more than 125 bytes
 * is a protocol error that Tyrus refuses (1002) as soon as it reads the header: the header goes
 * on and the stream {@link #handedOver() ends} after it. Not thread-safe: one connection's reads
 * come one at a time.
 */
final class ClientFrameScanner {

    /** The longest frame header: 2 bytes, 8 of extended length, 4 of mask. */
    static final int MAX_HEADER = 14;

    // Ints, each at most the window (a payload is checked against maxMessage, a control frame's
    // against 125, before it is kept): one scanner per WebSocket, 32 bytes rather than 56 with longs
    // (and the window, always maxMessage + MAX_HEADER, not a field of its own: 8 bytes with the padding).
    private final int maxMessage;

    /** Whether the bytes that follow are a header (else payload of the current frame). */
    private boolean atHeader = true;
    private int payloadLeft;
    /** Bytes of the current frame passed on so far: what Tyrus holds until the frame is complete. */
    private int frameSeen;
    /** Payload bytes of the fragmented data message in progress, 0 between messages. */
    private int messageBytes;
    private boolean tooBig;
    private boolean handedOver;
    private boolean awaitingHeader;

    /**
     * @param maxMessage largest data message (the sum of its fragments), bytes; Tyrus's read buffer
     *                   holds at least {@code maxMessage + MAX_HEADER} (the window)
     */
    ClientFrameScanner(int maxMessage) {
        if (maxMessage < 0 || maxMessage > Integer.MAX_VALUE - MAX_HEADER) {
            throw new IllegalArgumentException("no window can hold a frame of " + maxMessage + " bytes");
        }
        this.maxMessage = maxMessage;
    }

    /**
     * Scans {@code bytes[from, to)}, which continue the stream right after the last bytes passed
     * on, and returns how many of them (from {@code from}) may be passed on now. The rest is to be
     * scanned again: after the passed bytes reached Tyrus if the window was full, with more bytes
     * appended if a header was incomplete ({@link #awaitingHeader()}), or never if the stream ended
     * ({@link #tooBig()}, {@link #handedOver()}).
     */
    int scan(Buffer bytes, int from, int to) {
        if (ended()) {
            return 0;
        }
        awaitingHeader = false;
        // The window (Tyrus's buffer) must hold frameSeen plus all passed now.
        long allowance = (long) maxMessage + MAX_HEADER - frameSeen;
        int pos = from;
        while (pos < to) {
            long passed = pos - from;
            if (!atHeader) {
                long n = Math.min(payloadLeft, Math.min(to - pos, allowance - passed));
                if (n == 0) {
                    break; // the window is full: the rest after Tyrus has taken this
                }
                pos += (int) n;
                payloadLeft -= (int) n;
                frameSeen += (int) n;
                if (payloadLeft == 0) {
                    endFrame();
                }
                continue;
            }
            int length = headerLength(bytes, pos, to);
            if (length < 0) {
                awaitingHeader = true;
                break;
            }
            if (passed + length > allowance) {
                break;
            }
            int b0 = bytes.get(pos) & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            long payload = payloadLength(bytes, pos);
            if (opcode >= 0x8) {
                if (payload > 125) {
                    handedOver = true;
                    return (int) (passed + length);
                }
            } else {
                long message = opcode == 0 ? messageBytes + Math.max(payload, 0) : payload;
                if (payload < 0 || payload > maxMessage || message > maxMessage) {
                    tooBig = true;
                    break;
                }
                messageBytes = fin ? 0 : (int) message; // at most maxMessage
            }
            pos += length;
            frameSeen += length;
            payloadLeft = (int) payload; // at most maxMessage, or 125 for a control frame
            atHeader = false;
            if (payloadLeft == 0) {
                endFrame();
            }
        }
        return pos - from;
    }

    /** Whether the bytes after the last pass begin a frame that makes its message too big. */
    boolean tooBig() {
        return tooBig;
    }

    /** Whether the last pass ended with a header Tyrus refuses on its own, the stream's end. */
    boolean handedOver() {
        return handedOver;
    }

    boolean ended() {
        return tooBig || handedOver;
    }

    /** Whether the last scan stopped at a header whose bytes have not all arrived. */
    boolean awaitingHeader() {
        return awaitingHeader;
    }

    private void endFrame() {
        atHeader = true;
        frameSeen = 0;
    }

    /** The length of the header at {@code pos}, or -1 if it is not all there. */
    private static int headerLength(Buffer bytes, int pos, int to) {
        if (to - pos < 2) {
            return -1;
        }
        int b1 = bytes.get(pos + 1) & 0xFF;
        int code = b1 & 0x7F;
        int length = 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
        return to - pos < length ? -1 : length;
    }

    /** The payload length of the complete header at {@code pos}; negative if the 64-bit one has its top bit set. */
    private static long payloadLength(Buffer bytes, int pos) {
        int code = bytes.get(pos + 1) & 0x7F;
        if (code < 126) {
            return code;
        }
        int size = code == 126 ? 2 : 8;
        long length = 0;
        for (int i = 0; i < size; i++) {
            length = (length << 8) | (bytes.get(pos + 2 + i) & 0xFF);
        }
        return length;
    }
}
