package dev.parley.standalone;

import java.lang.reflect.Constructor;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.tyrus.spi.ServerContainer;

/**
 * Creates Tyrus's Grizzly {@code WebSocketAddOn}, which routes upgrade requests on a Grizzly
 * listener to a Tyrus engine. Its constructor is package-private in Tyrus, hence reflection: the
 * one place Parley reaches into Tyrus internals (checked at start-up, with a clear error).
 */
final class GrizzlyTyrusBridge {

    private static final String ADD_ON = "org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn";

    private GrizzlyTyrusBridge() {
    }

    static AddOn webSocketAddOn(ServerContainer container) {
        try {
            Class<?> type = Class.forName(ADD_ON);
            Constructor<?> ctor = type.getDeclaredConstructor(ServerContainer.class, String.class);
            ctor.setAccessible(true);
            return (AddOn) ctor.newInstance(container, "");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot attach Tyrus to Grizzly (" + ADD_ON
                    + " not as expected in this Tyrus version)", e);
        }
    }
}
