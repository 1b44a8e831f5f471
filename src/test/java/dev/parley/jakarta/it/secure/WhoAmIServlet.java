package dev.parley.jakarta.it.secure;

import jakarta.annotation.security.DeclareRoles;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * An async servlet like Parley's polling servlet, at {@code /whoami} and under the WebSocket
 * endpoint's own path ({@code /whoami-ws/*}, as Parley maps {@code /socket.io/*}): it answers on
 * a container thread after {@code startAsync}, with the principal and role seen both on the
 * request thread and inside {@code AsyncContext.start}.
 *
 * <p>{@code @DeclareRoles} is needed on Payara: without a declared role, {@code isUserInRole("admin")}
 * is false there for the servlet and for the WebSocket handshake alike. This one declaration
 * covers the whole WAR ({@code <security-role>} in web.xml or {@code ServletContext.declareRoles}
 * would do the same).
 */
@DeclareRoles({"admin", "user"})
@WebServlet(urlPatterns = {"/whoami", "/whoami-ws/*"}, asyncSupported = true)
public class WhoAmIServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getHeader("Upgrade") != null) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "no WebSocket here");
            return;
        }
        String before = WhoAmI.report("servlet", request.getUserPrincipal(), request.isUserInRole("admin"));
        AsyncContext async = request.startAsync();
        async.start(() -> {
            HttpServletRequest r = (HttpServletRequest) async.getRequest();
            String inside = WhoAmI.report("async", r.getUserPrincipal(), r.isUserInRole("admin"));
            try {
                HttpServletResponse out = (HttpServletResponse) async.getResponse();
                out.setContentType("text/plain;charset=UTF-8");
                out.getWriter().print(before + "\n" + inside);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                async.complete();
            }
        });
    }
}
