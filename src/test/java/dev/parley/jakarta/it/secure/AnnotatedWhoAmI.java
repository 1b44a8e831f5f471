package dev.parley.jakarta.it.secure;

import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;

/** The same probe as an annotated endpoint, at {@code /whoami-annotated}. */
@ServerEndpoint(value = "/whoami-annotated", configurator = WhoAmIEndpoints.Recorder.class)
public class AnnotatedWhoAmI {

    @OnOpen
    public void open(Session session) throws IOException {
        session.getBasicRemote().sendText(WhoAmI.opened(session));
    }
}
