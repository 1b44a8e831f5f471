package com.example.orders;

import dev.parley.server.ParleyServer;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** POST /api/orders: places an order and pushes it to every socket in room "orders" of "/orders". */
@Path("orders")
@RequestScoped
public class OrdersResource {

    @Inject
    ParleyServer server;                     // Parley's server of this WAR, from CDI

    @Inject
    OrderService orders;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Receipt create(Order order) {
        Receipt receipt = orders.place(order);
        // of("/orders"): server.to(...) alone would target the main namespace "/"
        server.of("/orders").to("orders").emit("created", receipt);
        return receipt;
    }
}
