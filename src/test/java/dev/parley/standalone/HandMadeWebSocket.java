package dev.parley.standalone;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written by hand on a {@link Socket}, for what a real client library will
 * not send: frames of any declared length, headers without their payload, fragments, several
 * frames in one write. Client frames are masked (with a zero key: the payload goes as is); server
 * frames are read as they come. Public for the container tests (a client that connects, then never
 * reads); the rest stays package-private.
 */
public final class HandMadeWebSocket implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;

    /** A frame from the server. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when it has none). */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private HandMadeWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and upgrades; fails unless the server answers 101. */
    public static HandMadeWebSocket open(String host, int port, String pathAndQuery) throws IOException {
        return open(host, port, pathAndQuery, 0);
    }

    /**
     * As {@link #open(String, int, String)}, with a socket receive buffer of {@code receiveBuffer}
     * bytes (set before connecting, so the window is sized to it) unless 0: a client that stops
     * reading then holds little of what the server sends in its kernel buffers.
     */
    public static HandMadeWebSocket open(String host, int port, String pathAndQuery, int receiveBuffer)
            throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new java.net.InetSocketAddress(host, port), 10_000);
        s.setSoTimeout(10_000);
        HandMadeWebSocket ws = new HandMadeWebSocket(s);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        ws.out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        ws.out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.write(ws.in.readUnsignedByte());
        }
        String response = head.toString(StandardCharsets.ISO_8859_1);
        if (!response.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new AssertionError("upgrade refused: " + response);
        }
        return ws;
    }

    /** A whole frame: header, zero mask, payload, in one write. */
    void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        out.write(frame(fin, opcode, payload));
        out.flush();
    }

    public void sendText(String text) throws IOException {
        sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Only the header of a frame declaring {@code length} payload bytes, and no payload. */
    void sendHeader(boolean fin, int opcode, long length) throws IOException {
        out.write(header(fin, opcode, length));
        out.flush();
    }

    /** Bytes as they are (several frames in one write, a header cut in two...). */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        byte[] header = header(fin, opcode, payload.length);
        byte[] all = new byte[header.length + payload.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(payload, 0, all, header.length, payload.length);
        return all;
    }

    static byte[] header(boolean fin, int opcode, long length) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write((fin ? 0x80 : 0) | opcode);
        if (length >= 0 && length < 126) {
            h.write(0x80 | (int) length);
        } else if (length >= 0 && length < 65536) {
            h.write(0x80 | 126);
            h.write((int) (length >>> 8));
            h.write((int) length);
        } else {
            h.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                h.write((int) (length >>> shift));
            }
        }
        h.writeBytes(new byte[4]); // zero masking key: the payload is sent as is
        return h.toByteArray();
    }

    /** The next frame from the server. */
    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((b1 & 0x80) != 0) {
            throw new AssertionError("the server masked a frame");
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 & 0x0F, payload);
    }

    /** The next text message that is not an Engine.IO ping. */
    public String readText() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() != TEXT) {
                throw new AssertionError("expected a text frame, got opcode " + f.opcode() + " " + f.text());
            }
            if (!f.text().equals("2")) {
                return f.text();
            }
        }
    }

    /** Skips messages up to the server's close frame, then expects the connection to end. */
    Frame awaitClose() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == CLOSE) {
                awaitEnd();
                return f;
            }
        }
    }

    /** Expects the server to end the connection (EOF, or a reset after the data). */
    public void awaitEnd() throws IOException {
        try {
            while (in.read() >= 0) {
                // anything after the close frame is ignored
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server did not close the connection");
        } catch (IOException reset) {
            // ended by a reset: the server closed with unread bytes of ours, which is fine
        }
    }

    /** Fails if the server sends anything or closes within {@code quiet}. */
    void assertOpenFor(Duration quiet) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout((int) quiet.toMillis());
        try {
            int b = in.read();
            throw new AssertionError(b < 0 ? "the server closed the connection" : "the server sent a byte");
        } catch (SocketTimeoutException stayedOpen) {
            // nothing within the time: open and quiet
        } catch (EOFException closed) {
            throw new AssertionError("the server closed the connection");
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
