package dev.parley.standalone;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A hand-written WebSocket client that speaks permessage-deflate (RFC 7692) itself, so a test sees
 * what a library hides: the extension header of the 101, the RSV1 bit of each server frame and its
 * compressed payload, and client frames compressed (or not) at will. Frames are masked with a zero
 * key. The server's messages are inflated without context (Parley negotiates
 * {@code server_no_context_takeover}); this client's own compressed messages keep their context,
 * as real clients do.
 */
final class DeflateWebSocket implements AutoCloseable {

    /** A frame from the server, as it came. */
    record Frame(boolean fin, boolean rsv1, int opcode, byte[] payload) {

        /** The message's bytes: the payload, inflated when RSV1 says it is compressed. */
        byte[] message() {
            return rsv1 ? inflate(payload) : payload;
        }

        String text() {
            return new String(message(), StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String extensions;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);

    private DeflateWebSocket(Socket socket, String extensions) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.extensions = extensions;
    }

    /** Upgrades, offering {@code offer} as {@code Sec-WebSocket-Extensions} (null: no offer); fails unless 101. */
    static DeflateWebSocket open(int port, String pathAndQuery, String offer) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(10_000);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        OutputStream o = s.getOutputStream();
        o.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + (offer == null ? "" : "Sec-WebSocket-Extensions: " + offer + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
        DataInputStream i = new DataInputStream(s.getInputStream());
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.write(i.readUnsignedByte());
        }
        String response = head.toString(StandardCharsets.ISO_8859_1);
        if (!response.startsWith("HTTP/1.1 101")) {
            s.close();
            throw new AssertionError("upgrade refused: " + response);
        }
        String negotiated = null;
        for (String line : response.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:")) {
                negotiated = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return new DeflateWebSocket(s, negotiated);
    }

    /** The 101's {@code Sec-WebSocket-Extensions}, or null when it had none. */
    String extensions() {
        return extensions;
    }

    /** The next frame that is not an Engine.IO ping ({@code 2}). */
    Frame next() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (!(f.opcode() == 1 && !f.rsv1() && f.payload().length == 1 && f.payload()[0] == '2')) {
                return f;
            }
        }
    }

    Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, (b0 & 0x40) != 0, b0 & 0x0F, payload);
    }

    /** A whole text message, uncompressed. */
    void sendText(String text) throws IOException {
        send(true, false, 1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A whole message compressed with this client's context (RSV1 set). */
    void sendCompressed(int opcode, byte[] message) throws IOException {
        send(true, true, opcode, compress(message));
    }

    /** One frame as given: FIN, RSV1, opcode and payload, masked with a zero key. */
    void send(boolean fin, boolean rsv1, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            h.write(0x80 | n);
        } else if (n < 65536) {
            h.write(0x80 | 126);
            h.write(n >>> 8);
            h.write(n);
        } else {
            h.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                h.write((int) ((long) n >>> shift));
            }
        }
        h.writeBytes(new byte[4]);
        h.writeBytes(payload);
        out.write(h.toByteArray());
        out.flush();
    }

    /** The compressed payload of {@code message}, this connection's context kept (sync flush, tail removed). */
    byte[] compress(byte[] message) {
        deflater.setInput(message);
        byte[] buf = new byte[message.length + 64];
        int len = 0;
        while (true) {
            len += deflater.deflate(buf, len, buf.length - len, Deflater.SYNC_FLUSH);
            if (len < buf.length) {
                break;
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        return Arrays.copyOf(buf, len - 4);
    }

    /** Expects the server to end the connection with a close frame of {@code code}; returns it. */
    int awaitCloseCode() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == 8) {
                return f.payload().length >= 2 ? ((f.payload()[0] & 0xFF) << 8) | (f.payload()[1] & 0xFF) : 1005;
            }
        }
    }

    static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
            input[compressed.length + 2] = (byte) 0xFF;
            input[compressed.length + 3] = (byte) 0xFF;
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.needsInput() && !inflater.finished()) {
                int n = inflater.inflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new AssertionError("a frame marked compressed does not inflate", e);
        } finally {
            inflater.end();
        }
    }

    @Override
    public void close() throws IOException {
        deflater.end();
        socket.close();
    }
}
