package dev.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** What the small loopback proxies share: reading an HTTP request head, and splicing two sockets together. */
public final class Pipes {

    private Pipes() {
    }

    /** Reads up to and including the blank line ending an HTTP head (ISO-8859-1); null when the peer closed first. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /** Copies bytes both ways on two daemon threads named {@code name}; each side closed when either ends. */
    public static void splice(Socket a, Socket b, String name) {
        pump(a, b, name);
        pump(b, a, name);
    }

    private static void pump(Socket from, Socket to, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // closed or reset: the other side goes too
            } finally {
                close(from);
                close(to);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    public static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** Writes an HTTP head or short response (ISO-8859-1). */
    public static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
