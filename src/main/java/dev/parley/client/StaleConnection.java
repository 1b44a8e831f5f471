package dev.parley.client;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/**
 * Recognises a request that failed because the pooled connection it went out on was being closed by the
 * server as idle: the server's orderly close (FIN) reached the JDK's HttpClient before any response byte, which
 * it reports as "HTTP/1.1 header parser received no bytes" or an EOF. It sends a GET again by itself in that case,
 * never a POST; browsers send any request again when it failed so on a reused connection. A server closing a
 * connection as idle did not read what arrived on it, so sending it once more delivers it once.
 *
 * <p>A reset ("Connection reset", "Broken pipe") is deliberately not one of them: it is what a cut connection
 * (a network failure, a proxy or server killed) looks like, and the transport must end at once with
 * "transport error" then, as socket.io-client does, rather than try again first.
 */
final class StaleConnection {

    private StaleConnection() {
    }

    /** Whether {@code error} (as a failed {@code sendAsync} completes) is an orderly close of the connection under the request, before any response. */
    static boolean isStale(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof EOFException) {
            return true;
        }
        return e instanceof IOException && String.valueOf(e.getMessage()).contains("header parser received no bytes");
    }
}
