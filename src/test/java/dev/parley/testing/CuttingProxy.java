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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy for connection-loss tests: accepts on 127.0.0.1 (a free port), forwards each connection
 * to {@code 127.0.0.1:target} (an orderly end on one side is passed on as one, a reset as a reset), and can {@link #cut()} every current connection (both sides reset), {@link #pause}
 * forwarding (bytes stay unread, as on a frozen network: heartbeats stop without any close), {@link #freeze()} the
 * current connections only (new ones flow: a client whose heartbeat gives up reconnects through the proxy),
 * {@link #strand()} them (the client's side is reset at once, the server's side stays open and silent, as when a
 * client moves network: it reconnects before the server notices anything), {@link #delay} forwarding, and
 * {@link #refuse} new connections (accepted and reset at once, as a stopped server's port). A frozen or stranded
 * connection's server side sees nothing, not even its client's close, until {@link #cut()} or {@link #close()}.
 * Threads: one acceptor and two pumps per connection, daemons named {@code cutting-proxy-*}, ended by
 * {@link #close()}.
 */
public final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final Object lock = new Object();
    private final List<Socket> open = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    // Guarded by lock: the sockets (both sides) of frozen connections; a pump never forwards from them
    // nor passes their end on.
    private final Set<Socket> frozen = new HashSet<>();
    private volatile long delayMillis;
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

    /** Resets every current connection, both sides (frozen and stranded ones included). */
    public void cut() {
        List<Socket> all;
        synchronized (lock) {
            all = new ArrayList<>(open);
            open.clear();
            frozen.clear();
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

    /**
     * Freezes every current connection for good: nothing more is forwarded either way and neither side learns of
     * the other's close, as on a network that went silent. New connections are forwarded as usual. Returns how
     * many connections were frozen.
     */
    public int freeze() {
        int count = 0;
        synchronized (lock) {
            for (int i = 0; i < open.size(); i += 2) { // open holds (client, upstream) pairs
                Socket client = open.get(i);
                Socket upstream = open.get(i + 1);
                if (!client.isClosed() && !upstream.isClosed() && frozen.add(client)) {
                    frozen.add(upstream);
                    count++;
                }
            }
            lock.notifyAll();
        }
        return count;
    }

    /**
     * Freezes every current connection and resets its client's side: the client sees its connection broken at
     * once and may reconnect, while the server's side stays open and silent (no close, no RST), as when a client
     * changes network. Returns how many connections were stranded.
     */
    public int strand() {
        List<Socket> clients = new ArrayList<>();
        synchronized (lock) {
            for (int i = 0; i < open.size(); i += 2) { // open holds (client, upstream) pairs
                Socket client = open.get(i);
                Socket upstream = open.get(i + 1);
                if (!client.isClosed() && !upstream.isClosed() && frozen.add(client)) {
                    frozen.add(upstream);
                    clients.add(client);
                }
            }
            lock.notifyAll();
        }
        clients.forEach(CuttingProxy::reset);
        return clients.size();
    }

    /** Each chunk read is forwarded {@code millis} later (0: at once), on every connection: a slow network. */
    public void delay(long millis) {
        delayMillis = millis;
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
                AtomicInteger ended = new AtomicInteger(); // directions ended in order (EOF)
                threads.add(pump(client, upstream, ended));
                threads.add(pump(upstream, client, ended));
            }
        }
    }

    private Thread pump(Socket from, Socket to, AtomicInteger ended) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            boolean orderly = false;
            try {
                // Not closed with try-with-resources: closing a stream closes its socket, and a frozen side stays open.
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    long delay = delayMillis;
                    if (delay > 0) {
                        Thread.sleep(delay); // the injected latency itself, not a synchronisation
                    }
                    if (!awaitResumed(from)) {
                        return;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
                orderly = true;
            } catch (IOException | InterruptedException e) {
                // cut, closed, or the peer reset
            } finally {
                if (orderly && !isFrozen(from) && !isFrozen(to)) {
                    // An orderly end is passed on as one (FIN), not as a reset: an HTTP server that closes after its
                    // response (a polling request with Connection: close) must not have that response discarded by
                    // an RST that overtakes it at the client.
                    passEnd(from, to, ended);
                } else {
                    // The end of a frozen connection is not passed on: its other side stays open until cut() or
                    // close().
                    if (!isFrozen(from)) {
                        reset(from);
                    }
                    if (!isFrozen(to)) {
                        reset(to);
                    }
                }
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits while paused; false when {@code from} is frozen (nothing more is forwarded from it). */
    private boolean awaitResumed(Socket from) throws InterruptedException {
        synchronized (lock) {
            while (paused && !closed && !from.isClosed() && !frozen.contains(from)) {
                lock.wait();
            }
            return !frozen.contains(from);
        }
    }

    private boolean isFrozen(Socket s) {
        synchronized (lock) {
            return frozen.contains(s);
        }
    }

    /** {@code from} ended in order: half-closes {@code to}; once both directions ended, closes both. */
    private static void passEnd(Socket from, Socket to, AtomicInteger ended) {
        try {
            to.shutdownOutput();
        } catch (IOException e) {
            reset(from);
            reset(to);
            return;
        }
        if (ended.incrementAndGet() == 2) {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
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
