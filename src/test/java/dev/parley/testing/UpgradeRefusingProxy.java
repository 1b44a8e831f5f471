package dev.parley.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy that forwards plain HTTP to {@code 127.0.0.1:target} but answers a request carrying
 * {@code Upgrade: websocket} with {@code 403}, as a corporate proxy that blocks WebSockets. Only the first request
 * of each connection is looked at (a WebSocket upgrade always opens its own connection). Threads: one acceptor,
 * one per connection while it reads the head, two per forwarded connection; daemons named
 * {@code upgrade-refusing-proxy-*}, the acceptor ended by {@link #close()}.
 */
public final class UpgradeRefusingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    public UpgradeRefusingProxy(int target) throws IOException {
        this.target = target;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "upgrade-refusing-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** WebSocket upgrades answered with 403 so far. */
    public int refused() {
        return refused.get();
    }

    /** Plain HTTP connections forwarded so far. */
    public int forwarded() {
        return forwarded.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread t = new Thread(() -> handle(client), "upgrade-refusing-proxy-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void handle(Socket client) {
        try {
            String head = Pipes.readHead(client.getInputStream());
            if (head == null) {
                Pipes.close(client);
                return;
            }
            if (head.toLowerCase(Locale.ROOT).contains("\nupgrade: websocket")) {
                refused.incrementAndGet();
                Pipes.write(client, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                Pipes.close(client);
                return;
            }
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
            Pipes.write(upstream, head);
            forwarded.incrementAndGet();
            Pipes.splice(client, upstream, "upgrade-refusing-proxy-pump");
        } catch (IOException e) {
            Pipes.close(client);
        }
    }
}
