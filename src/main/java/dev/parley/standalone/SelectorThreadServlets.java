package dev.parley.standalone;

import dev.parley.transport.polling.PollingServlet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.RequestExecutorProvider;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.servlet.ServletHandler;

/**
 * Runs the long-polling servlets' dispatches on the selector thread that read the request, as the
 * WebSocket endpoint's messages are, instead of handing each to a worker. Grizzly's default hand-over
 * suspends the request on the selector thread (its connection's read interest switched off) and resumes
 * it from the worker (switched on again from another thread: a selector wake-up and an
 * {@code epoll_ctl} pair per request). A polling dispatch never blocks: its POST body is read with
 * non-blocking I/O, its answers are written with it; so it can run where the bytes were read, and an
 * answer decided during it runs right after on the same thread ({@link GrizzlyWorkers}). Handlers an
 * application registers run on the selector thread for a POST's packets as they do for a WebSocket
 * message's. The other servlets (pages, the Admin UI, metrics) stay on the workers, and so does the client
 * bundle the polling servlet serves.
 */
final class SelectorThreadServlets {

    /**
     * Engine.IO's requests (they all name their transport in the query) on the thread that read them; any
     * other (the client bundle, up to a few hundred KiB written with blocking I/O) on a worker.
     */
    private static final RequestExecutorProvider ENGINE_IO_ON_SAME_THREAD = request -> {
        String query = request.getQueryString();
        return query != null && query.contains("transport=") ? null
                : request.getContext().getConnection().getTransport().getWorkerThreadPool();
    };

    private SelectorThreadServlets() {
    }

    /** Re-registers the deployed polling servlets of {@code http}; call after deploy, before start. */
    static void install(HttpServer http) {
        ServerConfiguration config = http.getServerConfiguration();
        List<Map.Entry<HttpHandler, HttpHandlerRegistration[]>> polling = new ArrayList<>();
        for (Map.Entry<HttpHandler, HttpHandlerRegistration[]> e : config.getHttpHandlersWithMapping().entrySet()) {
            if (e.getKey() instanceof ServletHandler servlet && servlet.getServletInstance() instanceof PollingServlet) {
                polling.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        for (Map.Entry<HttpHandler, HttpHandlerRegistration[]> e : polling) {
            config.removeHttpHandler(e.getKey());
            config.addHttpHandler(new OnSelectorThread(e.getKey()), e.getValue());
        }
    }

    /** A servlet's handler whose {@code service} runs on the thread that read the request. */
    private static final class OnSelectorThread extends HttpHandler {

        private final HttpHandler servlet;

        OnSelectorThread(HttpHandler servlet) {
            super(servlet.getName());
            this.servlet = servlet;
        }

        @Override
        public RequestExecutorProvider getRequestExecutorProvider() {
            return ENGINE_IO_ON_SAME_THREAD;
        }

        @Override
        public void service(Request request, Response response) throws Exception {
            servlet.service(request, response);
        }

        @Override
        public void start() {
            servlet.start();
        }

        @Override
        public void destroy() {
            servlet.destroy();
        }
    }
}
