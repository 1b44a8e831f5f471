package dev.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy for connection-loss tests: accepts on 127.0.0.1 (a free port), forwards each connection
 * to {@code 127.0.0.1:target}, and can {@link #cut()} every current connection (both sides reset), {@link #pause}
 * forwarding (bytes stay unread, as on a frozen network: heartbeats stop without any close), and {@link #refuse}
 * new connections (accepted and reset at once, as a stopped server's port). Threads: one acceptor and two pumps per
 * connection, daemons named {@code cutting-proxy-*}, ended by {@link #close()}.
 */
public final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final Object lock = new Object();
    private final List<Socket> open = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private boolean paused;
    private boolean refusing;
    private volatile boolean closed;

    public CuttingProxy(int target) throws IOException {
        this.target = target;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "cutting-proxy-accept");
        acceptor.setDaemon(true);
        threads.add(acceptor);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far (refused ones included). */
    public int accepted() {
        return accepted.get();
    }

    /** Resets every current connection, both sides. */
    public void cut() {
        List<Socket> all;
        synchronized (lock) {
            all = new ArrayList<>(open);
            open.clear();
        }
        all.forEach(CuttingProxy::reset);
        synchronized (lock) {
            lock.notifyAll(); // paused pumps of the cut connections end
        }
    }

    /** Stops (true) or resumes (false) forwarding on every connection, current and new. */
    public void pause(boolean pause) {
        synchronized (lock) {
            paused = pause;
            lock.notifyAll();
        }
    }

    /** While true, new connections are reset as soon as accepted. */
    public void refuse(boolean refuse) {
        synchronized (lock) {
            refusing = refuse;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        cut();
        pause(false);
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
            accepted.incrementAndGet();
            boolean refuseIt;
            synchronized (lock) {
                refuseIt = refusing;
            }
            if (refuseIt) {
                reset(client);
                continue;
            }
            Socket upstream;
            try {
                upstream = new Socket(InetAddress.getLoopbackAddress(), target);
            } catch (IOException e) {
                reset(client);
                continue;
            }
            synchronized (lock) {
                if (closed) {
                    reset(client);
                    reset(upstream);
                    return;
                }
                open.add(client);
                open.add(upstream);
                threads.add(pump(client, upstream));
                threads.add(pump(upstream, client));
            }
        }
    }

    private Thread pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    awaitResumed(from);
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // cut, closed, or the peer reset
            } finally {
                reset(from);
                reset(to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void awaitResumed(Socket from) throws InterruptedException {
        synchronized (lock) {
            while (paused && !closed && !from.isClosed()) {
                lock.wait();
            }
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // close with RST: the far side sees the connection broken, not ended
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
        return "CuttingProxy[" + new InetSocketAddress(InetAddress.getLoopbackAddress(), port()) + " -> " + target
                + "]";
    }
}
