package dev.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A hostile HTTP client on a plain socket: it sends a POST's headers announcing a body of
 * {@code declaredLength} bytes, then only the first few bytes of it, then nothing (a slow-loris
 * body). The test then checks the server's answer (or its silence), or leaves mid-body.
 */
public final class SlowPost implements AutoCloseable {

    /**
     * The server's answer: status, headers (names in lower case), body, when its last byte was read
     * ({@link System#nanoTime()}), and whether the server closed the connection after it.
     */
    public record Answer(int status, Map<String, String> headers, String body, long receivedNanos,
                         boolean closedAfter) {
    }

    private final Socket socket;

    private SlowPost(Socket socket) {
        this.socket = socket;
    }

    /**
     * Connects and sends the head plus {@code partialBody}, announcing {@code declaredLength} bytes.
     *
     * @param pathAndQuery e.g. {@code /socket.io/?EIO=4&transport=polling&sid=...}
     */
    public static SlowPost send(String host, int port, String pathAndQuery, int declaredLength, String partialBody)
            throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        String head = "POST " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: " + declaredLength + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(partialBody.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new SlowPost(socket);
    }

    /**
     * True when the server has neither answered nor closed: a read waits {@code wait} and times out.
     * (A byte read, an end of stream or a reset all say it is not silent.)
     */
    public boolean silent(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            socket.getInputStream().read();
            return false;
        } catch (SocketTimeoutException stillWaiting) {
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    /** Waits at most {@code timeout} for the whole answer, then up to {@code closeWait} for the connection to close. */
    public Answer awaitAnswer(Duration timeout, Duration closeWait) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP response: " + head);
        }
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body;
        if (headers.containsKey("content-length")) {
            byte[] bytes = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            body = new String(bytes, StandardCharsets.UTF_8);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8); // ends with the connection
            return new Answer(status, headers, body, System.nanoTime(), true);
        }
        long received = System.nanoTime();
        socket.setSoTimeout((int) Math.max(1, closeWait.toMillis()));
        boolean closed;
        try {
            closed = in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            closed = false;
        } catch (IOException reset) {
            closed = true; // a reset is a close too
        }
        return new Answer(status, headers, body, received, closed);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before an answer: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        return text.substring(0, text.length() - 4);
    }

    /** Sends more of the body. */
    public void send(String more) throws IOException {
        socket.getOutputStream().write(more.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** True when the server closes the connection (end of stream or reset) within {@code wait}; data is skipped. */
    public boolean awaitClose(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            while (socket.getInputStream().read() >= 0) {
                // skip
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Leaves: closes the connection with the body unfinished. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
