package dev.parley.admin;

import dev.parley.protocol.socketio.Args;
import dev.parley.server.BroadcastOperator;
import dev.parley.server.Namespace;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import java.util.List;
import java.util.logging.Logger;

/**
 * The Admin UI's commands, each acting on the sockets of a namespace, or of one of its rooms when a
 * filter is given (a socket id is a room too, which is how the UI addresses one socket), on every
 * node as Socket.IO v4's {@code socketsJoin}/{@code socketsLeave}/{@code disconnectSockets} do:
 * {@code emit(nsp, filter, event, ...args)}, {@code join(nsp, room, filter)},
 * {@code leave(nsp, room, filter)}, {@code _disconnect(nsp, close, filter)}. A namespace that does
 * not exist is ignored (never created), as is a malformed command. Not registered in read-only mode.
 */
final class AdminCommands {

    private static final Logger LOG = Logger.getLogger(AdminCommands.class.getName());

    private final ParleyServer server;

    AdminCommands(ParleyServer server) {
        this.server = server;
    }

    /** Listens to the commands of one admin socket. */
    void register(Socket admin) {
        admin.on("emit", (args, ack) -> {
            BroadcastOperator to = target(args, 1);
            if (to != null && args.size() >= 3 && args.get(2) instanceof String event) {
                List<Object> rest = args.asList().subList(3, args.size());
                to.emit(event, rest.toArray());
            }
        });
        admin.on("join", (args, ack) -> {
            BroadcastOperator to = target(args, 2);
            if (to != null && args.get(1) instanceof String room) {
                to.socketsJoin(room);
            }
        });
        admin.on("leave", (args, ack) -> {
            BroadcastOperator to = target(args, 2);
            if (to != null && args.get(1) instanceof String room) {
                to.socketsLeave(room);
            }
        });
        admin.on("_disconnect", (args, ack) -> {
            BroadcastOperator to = target(args, 2);
            if (to != null) {
                to.disconnectSockets(Boolean.TRUE.equals(args.size() > 1 ? args.get(1) : null));
            }
        });
    }

    /**
     * The sockets a command addresses: namespace argument 0, and the room at {@code filterAt} when
     * present and not empty; {@code null} when the namespace is unknown or the command malformed.
     */
    private BroadcastOperator target(Args args, int filterAt) {
        if (args.size() < 2 || !(args.get(0) instanceof String name)) {
            return null;
        }
        Namespace nsp = server.namespaces().get(name);
        if (nsp == null) {
            LOG.fine(() -> "Admin UI command for unknown namespace " + name + " ignored");
            return null;
        }
        Object filter = args.size() > filterAt ? args.get(filterAt) : null;
        return filter instanceof String room && !room.isEmpty() ? nsp.in(room) : nsp.in();
    }
}
