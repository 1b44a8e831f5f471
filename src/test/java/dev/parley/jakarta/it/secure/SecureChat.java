package dev.parley.jakarta.it.secure;

import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.server.Socket;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Map;

/**
 * The main namespace of the secured test WAR ({@code parley.auth=container}): every socket carries
 * the container's logged-in user; {@code purge} is for admins only.
 */
@SocketNamespace("/")
public class SecureChat {

    @OnEvent("whoami")
    public Map<String, Object> whoami(Socket socket) {
        return Map.of("name", socket.principal().name(), "roles", List.copyOf(socket.principal().roles()));
    }

    @OnEvent("purge")
    @RolesAllowed("admin")
    public String purge() {
        return "purged";
    }
}
