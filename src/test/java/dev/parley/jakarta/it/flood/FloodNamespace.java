package dev.parley.jakarta.it.flood;

import dev.parley.jakarta.OnDisconnect;
import dev.parley.jakarta.OnEvent;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.server.DisconnectReason;
import dev.parley.server.Socket;
import java.util.logging.Logger;

/**
 * A namespace that floods a client on request, for the container test of a client that stops
 * reading. {@code flood(n)} emits up to {@code n} blobs of 16 KiB to the caller, stopping as soon
 * as the caller is no longer connected, then tells the room {@value #WATCHERS} how many it emitted
 * ({@code flooded(emitted, requested)}). When a flooded socket leaves, the watchers are told why and
 * how long after the flood began ({@code dropped(reason, millis)}); both also go to the log at INFO.
 * {@code watch} joins the watchers (ack "watching"); {@code echo} acknowledges its argument.
 */
@SocketNamespace("/")
public class FloodNamespace {

    /** The room told about floods and drops. */
    public static final String WATCHERS = "watchers";
    private static final Logger LOG = Logger.getLogger(FloodNamespace.class.getName());
    private static final String BLOB = "x".repeat(16 * 1024);
    private static final String SMALL = "s".repeat(1024);
    private static final String STARTED = "flood.started";

    @OnEvent("watch")
    public String watch(Socket socket) {
        socket.join(WATCHERS);
        return "watching";
    }

    @OnEvent("echo")
    public String echo(String text) {
        return text;
    }

    @OnEvent("flood")
    public void flood(Socket socket, int blobs) {
        socket.data().put(STARTED, System.nanoTime());
        int emitted = 0;
        // Stops at the disconnect: what is counted is how much was handed to the connection before
        // the server gave up on it, which a bounded write queue keeps far below the request.
        while (emitted < blobs && socket.connected()) {
            socket.emit("blob", BLOB);
            emitted++;
        }
        LOG.info("flood of " + socket.id() + ": " + emitted + " of " + blobs + " blobs emitted before it left");
        socket.namespace().to(WATCHERS).emit("flooded", emitted, blobs);
    }

    /**
     * {@code packets(n)}: first {@code n} small volatile packets to the caller alone, then tells the
     * watchers whether the caller is still connected ({@code volatileFlooded(sent, connected)}); then
     * up to {@code n} small non-volatile ones until it leaves, as {@link #flood} (with {@code flooded}
     * and, on leaving, {@code dropped}). Small packets (1 KiB): a low {@code max-buffered-packets} is
     * reached long before {@code max-buffered-bytes}.
     */
    @OnEvent("packets")
    public void packets(Socket socket, int packets) {
        int sent = 0;
        while (sent < packets && socket.connected()) {
            socket.namespace().to(socket.id()).asVolatile().emit("v", SMALL);
            sent++;
        }
        boolean connected = socket.connected();
        LOG.info("volatile flood of " + socket.id() + ": " + sent + " packets, still connected: " + connected);
        socket.namespace().to(WATCHERS).emit("volatileFlooded", sent, connected);
        socket.data().put(STARTED, System.nanoTime());
        int emitted = 0;
        while (emitted < packets && socket.connected()) {
            socket.emit("p", SMALL);
            emitted++;
        }
        LOG.info("packet flood of " + socket.id() + ": " + emitted + " of " + packets + " emitted before it left");
        socket.namespace().to(WATCHERS).emit("flooded", emitted, packets);
    }

    @OnDisconnect
    public void left(Socket socket, DisconnectReason reason) {
        if (!(socket.data().get(STARTED) instanceof Long started)) {
            return; // not a flooded socket
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("flooded socket " + socket.id() + " left: " + reason.wire() + " after " + millis + " ms");
        socket.namespace().to(WATCHERS).emit("dropped", reason.wire(), millis);
    }
}
