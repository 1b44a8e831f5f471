package dev.parley.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal loopback HTTP proxy: {@code CONNECT host:port} opens a tunnel (WebSockets, https), a request with an
 * absolute URI ({@code GET http://host:port/path}) is forwarded to that host in origin form with
 * {@code Connection: close} (so every proxied request is seen here, none hidden in a kept-alive connection).
 * {@link #requests()} lists each request line it handled. Threads: one acceptor, one per connection while it
 * reads the head, two per tunnel or forwarded request; daemons named {@code http-connect-proxy-*}.
 */
public final class HttpConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public HttpConnectProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "http-connect-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The request lines handled so far, e.g. {@code CONNECT 127.0.0.1:4000 HTTP/1.1}. */
    public List<String> requests() {
        return requests;
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
            Thread t = new Thread(() -> handle(client), "http-connect-proxy-conn");
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
            String line = head.substring(0, head.indexOf("\r\n"));
            requests.add(line);
            String[] parts = line.split(" ");
            if (parts[0].equals("CONNECT")) {
                String[] hostPort = parts[1].split(":");
                Socket upstream = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
                Pipes.write(client, "HTTP/1.1 200 Connection Established\r\n\r\n");
                Pipes.splice(client, upstream, "http-connect-proxy-tunnel");
                return;
            }
            URI uri = URI.create(parts[1]);
            Socket upstream = new Socket(uri.getHost(), uri.getPort());
            StringBuilder forwarded = new StringBuilder(parts[0]).append(' ').append(uri.getRawPath())
                    .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(' ').append(parts[2])
                    .append("\r\n");
            for (String header : head.substring(line.length() + 2).split("\r\n")) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (!header.isEmpty() && !lower.startsWith("connection:") && !lower.startsWith("proxy-")) {
                    forwarded.append(header).append("\r\n");
                }
            }
            Pipes.write(upstream, forwarded.append("Connection: close\r\n\r\n").toString());
            Pipes.splice(client, upstream, "http-connect-proxy-pump");
        } catch (IOException | RuntimeException e) {
            Pipes.close(client);
        }
    }
}
