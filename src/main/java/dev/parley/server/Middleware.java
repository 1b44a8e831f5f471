package dev.parley.server;

/**
 * Namespace middleware, run for each socket before it connects ({@code nsp.use(...)}): call
 * {@link Next#proceed()} to go on, or {@link Next#fail} with a {@link ConnectError} to refuse the
 * connection (the client's {@code connect_error} fires with its message and data). It may call
 * either later, from any thread.
 */
@FunctionalInterface
public interface Middleware {
    void handle(Socket socket, Next next) throws Exception;
}
