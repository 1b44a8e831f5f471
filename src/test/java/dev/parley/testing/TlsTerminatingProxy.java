package dev.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A loopback TLS terminator in front of a plaintext server (the standalone Parley has no TLS): accepts TLS on
 * 127.0.0.1 with a self-signed certificate for {@code 127.0.0.1}/{@code localhost}, made at test time by the
 * JDK's {@code keytool -genkeypair} into {@code target/}, and forwards the decrypted bytes to
 * {@code 127.0.0.1:target}. {@link #clientContext()} is an {@link SSLContext} trusting that certificate. Threads:
 * one acceptor, two per connection; daemons named {@code tls-proxy-*}, the acceptor ended by {@link #close()}.
 */
public final class TlsTerminatingProxy implements AutoCloseable {

    private static final char[] PASSWORD = "parley-test".toCharArray();

    private final ServerSocket server;
    private final int target;
    private final KeyStore keyStore;

    public TlsTerminatingProxy(int target) throws IOException, GeneralSecurityException, InterruptedException {
        this.target = target;
        this.keyStore = selfSigned();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ((SSLServerSocket) server).setUseClientMode(false);
        Thread acceptor = new Thread(this::accept, "tls-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A fresh PKCS12 key store in target/ with one self-signed key pair, made by the JDK's keytool. */
    private static KeyStore selfSigned() throws IOException, GeneralSecurityException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "tls-proxy"));
        Path file = Files.createTempFile(dir, "keystore", ".p12");
        Files.delete(file); // keytool makes it
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "parley", "-keyalg", "EC", "-groupname",
                "secp256r1", "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** A client context trusting this proxy's certificate (and nothing else). */
    public SSLContext clientContext() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
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
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                Pipes.splice(client, upstream, "tls-proxy-pump");
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }
}
