package dev.parley.standalone;

import static dev.parley.standalone.HandMadeWebSocket.BINARY;
import static dev.parley.standalone.HandMadeWebSocket.CONTINUATION;
import static dev.parley.standalone.HandMadeWebSocket.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.junit.jupiter.api.Test;

/** The frame-boundary arithmetic of {@link ClientFrameScanner}, on byte streams cut every which way. */
class ClientFrameScannerTest {

    private static final int MAX = 100;
    private static final int WINDOW = MAX + ClientFrameScanner.MAX_HEADER;

    private static Buffer bytes(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, all.toByteArray());
    }

    private static byte[] frame(boolean fin, int opcode, int size) {
        return HandMadeWebSocket.frame(fin, opcode, new byte[size]);
    }

    /** Scans as the filter does, a pass at a time, until all passed or the stream ended; returns the bytes passed. */
    private static int scanAll(ClientFrameScanner s, Buffer b) {
        int passed = 0;
        while (passed < b.limit() && !s.ended()) {
            int pass = s.scan(b, passed, b.limit());
            if (pass == 0) {
                break;
            }
            passed += pass;
        }
        return passed;
    }

    @Test
    void framesWithinTheLimitPassWhole() {
        ClientFrameScanner s = new ClientFrameScanner(MAX);
        Buffer b = bytes(frame(true, TEXT, 10), frame(true, BINARY, MAX), frame(true, 0x9, 0));
        // Three frames are more than the window: the read is cut after the first two at most.
        int first = s.scan(b, 0, b.limit());
        assertThat(first).isLessThanOrEqualTo(WINDOW);
        int second = s.scan(b, first, b.limit());
        assertThat(first + second).isEqualTo(b.limit());
        assertThat(s.ended()).isFalse();
        assertThat(s.awaitingHeader()).isFalse();
    }

    @Test
    void aFrameOverTheLimitEndsTheStreamWhereItsHeaderBegins() {
        ClientFrameScanner s = new ClientFrameScanner(MAX);
        Buffer b = bytes(frame(true, TEXT, 5), HandMadeWebSocket.header(true, BINARY, 1L << 40));
        assertThat(s.scan(b, 0, b.limit())).isEqualTo(2 + 4 + 5);
        assertThat(s.tooBig()).isTrue();
        assertThat(s.scan(b, 0, b.limit())).isZero();
    }

    @Test
    void aLengthWithItsTopBitSetIsTooBig() {
        ClientFrameScanner s = new ClientFrameScanner(MAX);
        Buffer b = bytes(HandMadeWebSocket.header(true, BINARY, Long.MIN_VALUE));
        assertThat(s.scan(b, 0, b.limit())).isZero();
        assertThat(s.tooBig()).isTrue();
    }

    @Test
    void anIncompleteHeaderIsHeldBackUntilItsBytesArrive() {
        ClientFrameScanner s = new ClientFrameScanner(MAX);
        byte[] header = HandMadeWebSocket.header(true, TEXT, 2L * MAX);
        for (int cut = 1; cut < header.length; cut++) {
            Buffer part = bytes(Arrays.copyOf(header, cut));
            assertThat(s.scan(part, 0, part.limit())).isZero();
            assertThat(s.awaitingHeader()).isTrue();
            assertThat(s.tooBig()).isFalse();
        }
        Buffer whole = bytes(header);
        assertThat(s.scan(whole, 0, whole.limit())).isZero();
        assertThat(s.tooBig()).isTrue();
    }

    @Test
    void fragmentsCountTowardsTheirMessageButControlFramesBetweenThemDoNot() {
        ClientFrameScanner s = new ClientFrameScanner(MAX);
        Buffer ok = bytes(frame(false, TEXT, 60), frame(true, 0x9, 100), frame(true, CONTINUATION, 40));
        assertThat(scanAll(s, ok)).isEqualTo(ok.limit());
        assertThat(s.ended()).isFalse();
        Buffer over = bytes(frame(false, BINARY, 60), frame(false, CONTINUATION, 40), frame(true, CONTINUATION, 1));
        assertThat(scanAll(s, over)).isEqualTo(6 + 60 + 6 + 40);
        assertThat(s.tooBig()).isTrue();
    }

    @Test
    void aReadIsCutWhereTyrusWouldHoldMoreThanItsWindow() {
        ClientFrameScanner s = new ClientFrameScanner(MAX);
        byte[] big = frame(true, BINARY, MAX); // 8 + 100 bytes: header with 16-bit length, and mask
        Buffer half = bytes(Arrays.copyOf(big, 50));
        assertThat(s.scan(half, 0, half.limit())).isEqualTo(50); // Tyrus now holds 50 bytes of the frame
        Buffer rest = bytes(Arrays.copyOfRange(big, 50, big.length), frame(true, TEXT, MAX));
        int pass = s.scan(rest, 0, rest.limit());
        assertThat(50 + pass).isLessThanOrEqualTo(WINDOW);
        assertThat(pass).isGreaterThanOrEqualTo(big.length - 50); // at least the end of the frame Tyrus holds
        int next = s.scan(rest, pass, rest.limit());
        assertThat(pass + next).isEqualTo(rest.limit());
        assertThat(s.ended()).isFalse();
    }

    @Test
    void aControlFrameDeclaringMoreThan125BytesIsHandedToTyrusAndEndsTheStream() {
        ClientFrameScanner s = new ClientFrameScanner(MAX);
        byte[] ping = HandMadeWebSocket.header(true, 0x9, 126);
        Buffer b = bytes(frame(true, TEXT, 3), ping, new byte[126]);
        assertThat(s.scan(b, 0, b.limit())).isEqualTo(2 + 4 + 3 + ping.length);
        assertThat(s.handedOver()).isTrue();
        assertThat(s.tooBig()).isFalse();
    }
}
