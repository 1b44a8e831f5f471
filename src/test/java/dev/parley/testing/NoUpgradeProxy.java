package dev.parley.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy that refuses WebSocket: as some corporate proxies do, it forwards plain HTTP to
 * {@code 127.0.0.1:target} byte for byte and answers {@code 403 Forbidden} to a request whose head asks for
 * {@code Upgrade: websocket}, then closes that connection. Only the first request head of each connection is read
 * (a WebSocket client opens a connection of its own for its upgrade: {@code ws} and the JDK's do). {@link #cut()}
 * resets every forwarded connection, both sides; while {@link #refuse} is on, new connections are reset as soon as
 * accepted (a polling client between two requests loses its next one). Threads: one acceptor and two pumps per connection, daemons named
 * {@code no-upgrade-proxy-*}, ended by {@link #close()}.
 */
public final class NoUpgradeProxy implements AutoCloseable {

    private static final int MAX_HEAD = 16 * 1024;
    private static final byte[] FORBIDDEN = ("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n"
            + "Connection: close\r\n\r\nWebSocket not allowed").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int target;
    private final Object lock = new Object();
    private final List<Socket> open = new ArrayList<>(); // guarded by lock
    private final List<Thread> threads = new ArrayList<>(); // guarded by lock
    private final AtomicInteger refusedUpgrades = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean refusing;

    public NoUpgradeProxy(int target) throws IOException {
        this.target = target;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start(this::accept, "no-upgrade-proxy-accept");
    }

    public int port() {
        return server.getLocalPort();
    }

    /** WebSocket upgrade requests answered 403 so far. */
    public int refusedUpgrades() {
        return refusedUpgrades.get();
    }

    /** Resets every forwarded connection still open, both sides; returns how many there were. */
    public int cut() {
        List<Socket> all;
        synchronized (lock) {
            all = new ArrayList<>(open);
            open.clear();
        }
        int live = 0;
        for (int i = 0; i < all.size(); i += 2) { // (client, upstream) pairs
            live += all.get(i).isClosed() || all.get(i).isInputShutdown() ? 0 : 1;
        }
        all.forEach(NoUpgradeProxy::reset);
        return live;
    }

    /** While true, new connections are reset as soon as accepted. */
    public void refuse(boolean refuse) {
        refusing = refuse;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        cut();
        List<Thread> all;
        synchronized (lock) {
            all = new ArrayList<>(threads);
        }
        for (Thread t : all) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing) {
                reset(client);
                continue;
            }
            // The head is read on a thread of its own: a client slow to send it must not hold up the others.
            start(() -> serve(client), "no-upgrade-proxy-head");
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (asksForWebSocket(head)) {
                refusedUpgrades.incrementAndGet();
                OutputStream out = client.getOutputStream();
                out.write(FORBIDDEN);
                out.flush();
                client.close();
                return;
            }
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
            synchronized (lock) {
                if (closed) {
                    reset(client);
                    reset(upstream);
                    return;
                }
                open.add(client);
                open.add(upstream);
            }
            upstream.getOutputStream().write(head);
            upstream.getOutputStream().flush();
            start(() -> pump(upstream, client), "no-upgrade-proxy-pump");
            pump(client, upstream);
        } catch (IOException e) {
            reset(client);
        }
    }

    /** Bytes up to and including the blank line that ends the first request head (or all read, if it never ends). */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // of "\r\n\r\n"
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                break;
            }
        }
        return head.toByteArray();
    }

    private static boolean asksForWebSocket(byte[] head) {
        for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("upgrade")
                    && line.substring(colon + 1).trim().toLowerCase(Locale.ROOT).contains("websocket")) {
                return true;
            }
        }
        return false;
    }

    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput(); // pass the end on: an HTTP peer may still answer
        } catch (IOException e) {
            reset(from);
            reset(to);
        }
    }

    private void start(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        synchronized (lock) {
            threads.add(t);
        }
        t.start();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public String toString() {
        return "NoUpgradeProxy[127.0.0.1:" + port() + " -> " + target + "]";
    }
}
