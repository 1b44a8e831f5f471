package com.example.orders;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/** The application's own service: a CDI bean, injected into the namespace and the REST resource. */
@ApplicationScoped
public class OrderService {

    private final AtomicLong next = new AtomicLong();

    public Receipt place(Order order) {
        return new Receipt("order-" + next.incrementAndGet(), order.item(), order.quantity());
    }
}
