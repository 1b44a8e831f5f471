package dev.parley.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the official Admin UI's static files ({@code @socket.io/admin-ui}'s {@code ui/dist}, packed
 * into Parley's jar at build time under {@code dev/parley/admin/ui}) at the path it is mapped to
 * ({@code <admin-ui-path>*}): {@code index.html} for the path itself (the bare path without its
 * slash is redirected, so the page's relative links resolve), the assets below it. GET and HEAD;
 * 404 for anything else. Portable: a plain servlet, mounted by both bootstraps.
 */
public final class AdminUiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String ROOT = "/dev/parley/admin/ui";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "map", "application/json",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private final String base; // the UI's path without its final slash

    /** @param uiPath where the UI is served, ending with {@code /} (mapped with {@link #mapping}) */
    public AdminUiServlet(String uiPath) {
        this.base = uiPath.substring(0, uiPath.length() - 1);
    }

    /** The servlet mapping for {@code uiPath} ({@code /admin-ui/} → {@code /admin-ui/*}, which also takes {@code /admin-ui}). */
    public static String mapping(String uiPath) {
        return uiPath + "*";
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // From the URI rather than getPathInfo, whose decoding and splitting containers do not all agree on.
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (!path.startsWith(base)) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String rest = path.substring(base.length());
        if (rest.isEmpty()) {
            resp.sendRedirect(req.getContextPath() + base + "/");
            return;
        }
        if (rest.equals("/")) {
            rest = "/index.html";
        }
        // A name without an extension would be a folder of the jar: never served.
        if (!rest.startsWith("/") || rest.contains("..") || rest.contains("//") || rest.lastIndexOf('.') < rest.lastIndexOf('/')) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream in = AdminUiServlet.class.getResourceAsStream(ROOT + rest)) {
            if (in == null) {
                resp.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            byte[] body = in.readAllBytes();
            String ext = rest.substring(rest.lastIndexOf('.') + 1);
            resp.setContentType(TYPES.getOrDefault(ext, "application/octet-stream"));
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }
}
