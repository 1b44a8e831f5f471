package dev.parley.jakarta.it.secure;

import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import jakarta.annotation.security.RolesAllowed;

/** A namespace only admins may join. */
@SocketNamespace("/ops")
@RolesAllowed("admin")
public class OpsNamespace {

    @OnEvent("status")
    public String status() {
        return "green";
    }
}
