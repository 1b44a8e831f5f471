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
 * with authentication explicitly off, and one like the first with connection state recovery on (its
 * events carry their offset, so the others keep it off).
 */
class AdminUiClientTest {

    /** bcryptjs 2.4.3's {@code hashSync("changeit", 4)}. */
    static final String CHANGEIT = "$2a$04$eMrlWsy3oNlaAhz2BfYIEOcpBHnfN7RlttaMj5ngQD2B9ID4Sjd4O";

    private static ParleyServer parley;
    private static ParleyServer readonly;
    private static ParleyServer recovering;
    private static StandaloneServer server;
    private static StandaloneServer readonlyServer;
    private static StandaloneServer recoveringServer;

    @BeforeAll
    static void start() throws Exception {
        AdminUiOptions basic = new AdminUiOptions(true, "basic", "admin", CHANGEIT, false, false, "/admin-ui/");
        parley = app(ParleyOptions.builder().adminUi(basic));
        readonly = app(ParleyOptions.builder().adminUi(new AdminUiOptions(true, "none", null, null, true, false, "/admin-ui/")));
        recovering = app(ParleyOptions.builder().adminUi(basic).recoveryMaxDisconnection(30_000));
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        readonlyServer = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(readonly.engine(), false)), false);
        recoveringServer = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(recovering.engine(), false)), false);
    }

    private static ParleyServer app(ParleyOptions.Builder options) {
        ParleyServer p = new ParleyServer(options.build());
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
        recovering.close();
        recoveringServer.close();
    }

    @Test
    void theAdminUiProtocolOverTheRealClient() throws Exception {
        NodeTestRun.run(new File(System.getProperty("parley.nodeTests", "src/test/node")), "admin/admin.test.mjs",
                Map.of("PARLEY_URL", "http://127.0.0.1:" + server.port(),
                        "PARLEY_READONLY_URL", "http://127.0.0.1:" + readonlyServer.port(),
                        "PARLEY_RECOVERY_URL", "http://127.0.0.1:" + recoveringServer.port()), 120);
    }
}
