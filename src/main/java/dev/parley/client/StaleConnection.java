package dev.parley.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;

/**
 * Recognises a request that failed because the pooled connection it went out on was being closed by the
 * server as idle: the JDK's HttpClient then fails with no response byte read ("HTTP/1.1 header parser
 * received no bytes", an EOF, or a reset when the request's bytes met the closed socket). It sends a GET
 * again by itself in that case, never a POST; browsers send any request again when it failed so on a reused
 * connection. A server closing a connection as idle did not read what arrived on it, so sending it once
 * more delivers it once.
 */
final class StaleConnection {

    private StaleConnection() {
    }

    /** Whether {@code error} (as a failed {@code sendAsync} completes) is the failure of a connection closed under the request, before any response. */
    static boolean isStale(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof EOFException || e instanceof ClosedChannelException) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof SocketException) {
            return message.contains("Connection reset") || message.contains("Broken pipe");
        }
        return e instanceof IOException && message.contains("header parser received no bytes");
    }
}
