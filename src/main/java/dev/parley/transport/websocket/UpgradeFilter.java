package dev.parley.transport.websocket;

import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import dev.parley.engine.Verdict;
import dev.parley.transport.ServletExchange;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Judges WebSocket upgrade requests at the engine's path before the container upgrades them, with
 * the portable Servlet API only: mapped ahead of the container's own WebSocket filter (Tyrus's on
 * Payara and GlassFish, Undertow's on WildFly, both filters mapped after the declared ones), it
 * asks the engine for its {@link Verdict} and answers one that is not allowed with its HTTP status
 * (403 origin, 401/403 authentication, 429/503 limits, 400 protocol) and the same JSON body as
 * polling, without calling the chain, so the client sees the refusal as an HTTP answer instead of
 * an upgrade closed at once. An allowed verdict is handed to the endpoint's configurator
 * ({@link UpgradeHandOver}) for the duration of the chain, so the connection is admitted once.
 *
 * <p>Other requests pass untouched. A container that upgrades without running this filter still
 * gets the verdict from the configurator, and the endpoint closes a refused connection as it opens.
 */
public class UpgradeFilter implements Filter {

    private final EngineServer engine;

    public UpgradeFilter(EngineServer engine) {
        this.engine = engine;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse resp)
                || !"websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        EngineRequest upgrade = ServletExchange.engineRequest(req);
        Verdict verdict = engine.admit(upgrade, true);
        if (!verdict.allowed()) {
            refuse(resp, verdict);
            return;
        }
        try (UpgradeHandOver.Offer offer = UpgradeHandOver.offer(engine, upgrade, verdict)) {
            chain.doFilter(request, response);
        }
    }

    private static void refuse(HttpServletResponse resp, Verdict verdict) throws IOException {
        // The connection asked to become a WebSocket; it does not go back to HTTP requests.
        resp.setHeader("Connection", "close");
        ServletExchange.answerJson(resp, verdict.httpStatus(), verdict.json());
    }
}
