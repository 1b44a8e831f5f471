package dev.parley.jakarta;

import dev.parley.server.ParleyServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * Makes the application's {@link ParleyServer} injectable anywhere CDI reaches (a JAX-RS resource,
 * an EJB timer, a JMS listener): {@code @Inject ParleyServer server; server.to("orders").emit(...)}.
 */
@ApplicationScoped
public class ParleyProducer {

    @Produces
    public ParleyServer parleyServer() {
        return ParleyRegistry.current();
    }
}
