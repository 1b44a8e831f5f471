package dev.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket upgrade request written by hand on a plain socket, and the server's answer read as
 * bytes: the status, the headers and (for a refusal) the body of its {@code Content-Length}. What a
 * client library hides (most report a refused upgrade as a bare failure) is what these tests assert.
 * Optionally sent from a chosen loopback address (127.0.0.2...) for per-address limits.
 */
public final class RawUpgrade {

    /** The answer: status, headers by lower-case name, body (empty for a 101). */
    public record Answer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawUpgrade() {
    }

    /** Sends the upgrade for {@code pathAndQuery} to 127.0.0.1:{@code port} with extra headers. */
    public static Answer send(int port, String pathAndQuery, Map<String, String> headers) throws IOException {
        return send("127.0.0.1", port, pathAndQuery, headers);
    }

    /** As above, from the loopback address {@code from}. */
    public static Answer send(String from, int port, String pathAndQuery, Map<String, String> headers)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout(10_000);
            byte[] nonce = new byte[16];
            new java.security.SecureRandom().nextBytes(nonce);
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Host", "127.0.0.1:" + port);
            all.put("Upgrade", "websocket");
            all.put("Connection", "Upgrade");
            all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(nonce));
            all.put("Sec-WebSocket-Version", "13");
            all.putAll(headers); // a test may replace any of them
            StringBuilder head = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n");
            all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(socket.getInputStream());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP response: " + lines[0]);
        }
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        if (status == 101) {
            return new Answer(status, headers, "");
        }
        String length = headers.get("content-length");
        byte[] body;
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(in);
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            int size = Integer.parseInt(line.toString().trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }
}
