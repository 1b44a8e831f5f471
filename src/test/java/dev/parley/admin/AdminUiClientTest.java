package dev.parley.admin;

import dev.parley.server.AdminUiOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import dev.parley.testing.NodeTestRun;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real {@code socket.io-client} speaking the Admin UI's protocol to Parley's {@code /admin}
 * namespace ({@code src/test/node/admin/admin.test.mjs}): one server with basic authentication (the
 * hash made by bcryptjs, as the reference's users make theirs) in development mode, one read-only
 * with authentication explicitly off; connection state recovery on.
 */
class AdminUiClientTest {

    /** bcryptjs 2.4.3's {@code hashSync("changeit", 4)}. */
    static final String CHANGEIT = "$2a$04$eMrlWsy3oNlaAhz2BfYIEOcpBHnfN7RlttaMj5ngQD2B9ID4Sjd4O";

    private static ParleyServer parley;
    private static ParleyServer readonly;
    private static StandaloneServer server;
    private static StandaloneServer readonlyServer;

    @BeforeAll
    static void start() throws Exception {
        parley = app(new AdminUiOptions(true, "basic", "admin", CHANGEIT, false, false, "/admin-ui/"));
        readonly = app(new AdminUiOptions(true, "none", null, null, true, false, "/admin-ui/"));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        readonlyServer = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(readonly.engine(), false)), false);
    }

    private static ParleyServer app(AdminUiOptions admin) {
        // recovery on: a recovered socket's rooms are reported (admin.test.mjs)
        ParleyServer p = new ParleyServer(ParleyOptions.builder().adminUi(admin).recoveryMaxDisconnection(30_000).build());
        AdminUi.install(p);
        p.onConnection(socket -> {
            socket.emit("welcome", "hi");
            socket.on("join", (args, ack) -> {
                socket.join(args.get(0, String.class));
                ack.send();
            });
            socket.on("leave", (args, ack) -> {
                socket.leave(args.get(0, String.class));
                ack.send();
            });
            socket.on("rooms", (args, ack) -> ack.send(List.copyOf(socket.rooms())));
        });
        return p;
    }

    @AfterAll
    static void stop() {
        parley.close();
        readonly.close();
        server.close();
        readonlyServer.close();
    }

    @Test
    void theAdminUiProtocolOverTheRealClient() throws Exception {
        NodeTestRun.run(new File(System.getProperty("parley.nodeTests", "src/test/node")), "admin/admin.test.mjs",
                Map.of("PARLEY_URL", "http://127.0.0.1:" + server.port(),
                        "PARLEY_READONLY_URL", "http://127.0.0.1:" + readonlyServer.port()), 120);
    }
}
