package dev.parley.jakarta.it.broken;

import dev.parley.jakarta.OnConnect;
import dev.parley.jakarta.SocketNamespace;

/** A namespace whose @OnConnect method returns a value: its deployment must fail, naming the method. */
@SocketNamespace("/broken")
public class BrokenNamespace {

    @OnConnect
    public String hello() {
        return "not allowed";
    }
}
