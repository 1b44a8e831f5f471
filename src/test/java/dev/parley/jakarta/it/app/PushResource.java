package dev.parley.jakarta.it.app;

import dev.parley.server.ParleyServer;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Pushes an event to every socket in "orders" from plain JAX-RS code, through the injected server. */
@Path("orders")
@RequestScoped
public class PushResource {

    @Inject
    ParleyServer server;

    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.TEXT_PLAIN)
    public String create(String item) {
        server.to("orders").emit("created", Map.of("item", item));
        return "pushed " + item;
    }
}
