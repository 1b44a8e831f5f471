package dev.parley.jakarta.it.app;

import jakarta.enterprise.context.ApplicationScoped;

/** A service of "the team's application", injected into its namespace by CDI. */
@ApplicationScoped
public class GreetingService {

    public String greet(String name) {
        return "Hello, " + name + " (from a CDI service)";
    }
}
