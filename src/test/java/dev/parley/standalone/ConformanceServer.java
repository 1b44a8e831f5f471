package dev.parley.standalone;

import dev.parley.engine.EngineServer;
import dev.parley.server.ParleyServer;
import java.io.IOException;
import java.util.List;

/** The {@code --conformance} fixture, started in-process on a free loopback port for a test class. */
final class ConformanceServer implements AutoCloseable {

    private final EngineServer echo;
    private final ParleyServer parley;
    private final StandaloneServer server;

    ConformanceServer() throws IOException {
        echo = ConformanceApp.echoEngine(ConformanceApp.engineDefaults().toBuilder().path("/engine.io/").build());
        parley = ConformanceApp.socketIo(ConformanceApp.defaults());
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(echo, false),
                new StandaloneServer.Mount(parley.engine(), true)), false);
    }

    String http() {
        return "http://127.0.0.1:" + server.port();
    }

    String ws() {
        return "ws://127.0.0.1:" + server.port();
    }

    EngineServer echoEngine() {
        return echo;
    }

    ParleyServer parley() {
        return parley;
    }

    @Override
    public void close() {
        parley.close();
        echo.close();
        server.close();
    }
}
