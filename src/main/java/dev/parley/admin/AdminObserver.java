package dev.parley.admin;

import dev.parley.server.DisconnectReason;
import dev.parley.server.Namespace;
import dev.parley.server.ServerObserver;
import dev.parley.server.Socket;
import dev.parley.protocol.socketio.Args;
import jakarta.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the Admin UI is told as things happen: in development mode the socket events are emitted to
 * the {@code /admin} namespace at once, as the reference does ({@code socket_connected}, {@code socket_disconnected}, {@code room_joined},
 * {@code room_left}, {@code event_received}, {@code event_sent}, and {@code socket_updated} with the
 * new transport when a connection upgrades; a recovered socket's rejoined rooms as {@code room_joined}
 * before its {@code socket_connected}; timestamps as JavaScript's
 * {@code Date.toJSON}). The {@code /admin} namespace's own events are not reported, its sockets are.
 */
final class AdminObserver implements ServerObserver {

    private static final Logger LOG = Logger.getLogger(AdminObserver.class.getName());
    private static final DateTimeFormatter JS_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Namespace admin;
    private final boolean verbose;

    AdminObserver(Namespace admin, boolean verbose) {
        this.admin = admin;
        this.verbose = verbose;
    }

    @Override
    public void socketConnected(Socket socket) {
        if (verbose) {
            tell("socket_connected", SocketDescription.of(socket), now());
        }
    }

    /** As the reference on its engine connection's {@code upgrade}: {@code socket_updated} with the new transport. */
    @Override
    public void socketUpgraded(Socket socket, String transport) {
        if (verbose) {
            tell("socket_updated", Json.createObjectBuilder().add("id", socket.id())
                    .add("nsp", socket.namespace().name()).add("transport", transport).build());
        }
    }

    @Override
    public void socketDataChanged(Socket socket) {
        if (verbose) {
            // The reference's socket_updated for a change of socket.data: the data without its own "_admin".
            tell("socket_updated", Json.createObjectBuilder().add("id", socket.id())
                    .add("nsp", socket.namespace().name()).add("data", socket.dataAsJson()).build());
        }
    }

    @Override
    public void socketDisconnected(Socket socket, DisconnectReason reason) {
        if (verbose) {
            tell("socket_disconnected", socket.namespace().name(), socket.id(), reason.wire(), now());
        }
    }

    @Override
    public void roomJoined(Socket socket, String room) {
        if (verbose) {
            tell("room_joined", socket.namespace().name(), room, socket.id(), now());
        }
    }

    @Override
    public void roomLeft(Socket socket, String room) {
        if (verbose) {
            tell("room_left", socket.namespace().name(), room, socket.id(), now());
        }
    }

    @Override
    public void eventReceived(Socket socket, String event, Args args) {
        if (verbose && socket.namespace() != admin) {
            List<Object> all = new ArrayList<>(args.size() + 1);
            all.add(event);
            all.addAll(args.asList());
            tell("event_received", socket.namespace().name(), socket.id(), all, now());
        }
    }

    @Override
    public void eventSent(Socket socket, String event, Object[] args) {
        if (verbose && socket.namespace() != admin) {
            List<Object> all = new ArrayList<>(args.length + 1);
            all.add(event);
            all.addAll(Arrays.asList(args));
            tell("event_sent", socket.namespace().name(), socket.id(), all, now());
        }
    }

    /** The current time as JavaScript's {@code new Date().toJSON()} writes it. */
    static String now() {
        return JS_DATE.format(Instant.now());
    }

    private void tell(String event, Object... args) {
        try {
            admin.emit(event, args);
        } catch (RuntimeException e) {
            // An argument the payload encoder refuses must not break the application's own path.
            LOG.log(Level.FINE, "Admin UI: could not report " + event, e);
        }
    }
}
