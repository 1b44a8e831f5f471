package dev.parley.standalone;

import dev.parley.server.ConnectError;
import dev.parley.server.Namespace;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The server side of the integration tests driven by the real {@code socket.io-client} (see
 * {@code src/test/node/README.md} for the contract each event implements).
 */
final class FixtureApp {

    private FixtureApp() {
    }

    /** Sent by {@code record-to-room}: a record, serialized with JSON-B. */
    public record Order(String id, List<Item> items, boolean paid) {
    }

    public record Item(String sku, int quantity) {
    }

    static void install(ParleyServer server) {
        Namespace main = server.of("/");
        main.onConnection(socket -> common(server, main, socket));

        Namespace admin = server.of("/admin");
        admin.use((socket, next) -> {
            Object token = socket.handshake().auth().get("token") == null ? null
                    : socket.handshake().auth().getString("token", null);
            if ("secret".equals(token)) {
                socket.data().put("user", "admin");
                next.proceed();
            } else {
                next.fail(new ConnectError("not authorized", Map.of("code", 401)));
            }
        });
        admin.onConnection(socket -> common(server, admin, socket));

        Namespace custom = server.of("/custom");
        custom.onConnection(socket -> common(server, custom, socket));

        server.of(Pattern.compile("/dyn-\\d+")).onConnection(socket -> {
            socket.emit("hello", socket.namespace().name());
            common(server, socket.namespace(), socket);
        });
    }

    private static void common(ParleyServer server, Namespace nsp, Socket socket) {
        Map<String, Object> welcome = new LinkedHashMap<>();
        welcome.put("id", socket.id());
        welcome.put("nsp", nsp.name());
        welcome.put("transport", socket.transport());
        welcome.put("auth", socket.handshake().auth());
        welcome.put("query", socket.handshake().query());
        welcome.put("user", socket.data().get("user"));
        socket.emit("welcome", welcome);

        socket.use((event, args, next) -> {
            if (event.equals("forbidden")) {
                next.fail(new IllegalStateException("forbidden event"));
            } else {
                next.proceed();
            }
        });
        socket.onError(e -> socket.emit("error-reported", e.getMessage()));
        List<String> seen = new ArrayList<>();
        socket.onAny((event, args) -> {
            synchronized (seen) {
                seen.add(event);
            }
        });

        socket.on("echo", (args, ack) -> socket.emit("echo", args.toArray()));
        socket.on("ack", (args, ack) -> ack.send(args.toArray()));
        socket.on("seen", (args, ack) -> {
            synchronized (seen) {
                ack.send(List.copyOf(seen));
            }
        });
        socket.on("join", (args, ack) -> {
            socket.join(args.getString(0));
            ack.send(new TreeSet<>(socket.rooms()));
        });
        socket.on("leave", (args, ack) -> {
            socket.leave(args.getString(0));
            ack.send(new TreeSet<>(socket.rooms()));
        });
        socket.on("rooms", (args, ack) -> ack.send(new TreeSet<>(socket.rooms())));
        // (room, event, ...args): everyone in the room, sender included
        socket.on("to-room", (args, ack) -> {
            nsp.to(args.getString(0)).emit(args.getString(1), rest(args.toArray(), 2));
            ack.send();
        });
        // (room, event, ...args): everyone in the room but the sender
        socket.on("socket-to-room", (args, ack) -> {
            socket.to(args.getString(0)).emit(args.getString(1), rest(args.toArray(), 2));
            ack.send();
        });
        // (room, event, ...args): everyone not in the room
        socket.on("except-room", (args, ack) -> {
            nsp.except(args.getString(0)).emit(args.getString(1), rest(args.toArray(), 2));
            ack.send();
        });
        // (room, event, id): everyone in the room gets an Order record with that id
        socket.on("record-to-room", (args, ack) -> {
            nsp.to(args.getString(0)).emit(args.getString(1),
                    new Order(args.getString(2), List.of(new Item("pen", 2), new Item("ink", 1)), true));
            ack.send();
        });
        // (event, ...args): everyone but the sender
        socket.on("broadcast", (args, ack) -> {
            socket.broadcast().emit(args.getString(0), rest(args.toArray(), 1));
            ack.send();
        });
        // (event, ...args): everyone, volatile / local / compress flags
        socket.on("volatile", (args, ack) -> {
            nsp.asVolatile().emit(args.getString(0), rest(args.toArray(), 1));
            ack.send();
        });
        socket.on("local", (args, ack) -> {
            nsp.local().compress(false).emit(args.getString(0), rest(args.toArray(), 1));
            ack.send();
        });
        // (event, ...args): the server asks this client for an ack, then acks the client with the reply
        socket.on("server-ack", (args, ack) -> socket.emitWithAck(Duration.ofSeconds(5), args.getString(0),
                rest(args.toArray(), 1)).whenComplete((reply, err) -> {
                    if (err != null) {
                        ack.send("error", String.valueOf(err));
                    } else {
                        ack.send(reply.toArray());
                    }
                }));
        // (event, ms): the client never answers; acked with "timeout" when the server gives up
        socket.on("server-ack-timeout", (args, ack) -> socket.emitWithAck(Duration.ofMillis(args.getLong(1)),
                args.getString(0)).whenComplete((reply, err) ->
                        ack.send(err instanceof TimeoutException || err != null && err.getCause() instanceof TimeoutException
                                ? "timeout" : "no-timeout")));
        // (room, event, ms): ack from every socket of the room, acked with the list of replies
        socket.on("room-ack", (args, ack) -> nsp.to(args.getString(0)).timeout(Duration.ofMillis(args.getLong(2)))
                .emitWithAck(args.getString(1)).whenComplete((replies, err) -> {
                    if (err != null) {
                        ack.send("timeout");
                        return;
                    }
                    JsonArrayBuilder b = Json.createArrayBuilder();
                    replies.forEach(r -> b.add(r.getJson(0)));
                    ack.send(b.build());
                }));
        socket.on("binary", (args, ack) -> socket.emit("binary", new byte[] {1, 2, 3},
                Map.of("nested", new byte[] {4, 5}, "text", "t")));
        // echoes its args back through the ack, binaries included
        socket.on("binary-ack", (args, ack) -> ack.send(args.toArray()));
        socket.on("data-set", (args, ack) -> {
            socket.data().put(args.getString(0), args.get(1));
            ack.send();
        });
        socket.on("data-get", (args, ack) -> ack.send(socket.data().get(args.getString(0))));
        socket.on("handshake", (args, ack) -> {
            Map<String, Object> hs = new LinkedHashMap<>();
            hs.put("url", socket.handshake().url());
            hs.put("query", socket.handshake().query());
            hs.put("address", socket.handshake().address());
            hs.put("issued", socket.handshake().issued());
            hs.put("userAgent", socket.handshake().header("user-agent"));
            hs.put("auth", socket.handshake().auth());
            ack.send(hs);
        });
        socket.on("disconnect-me", (args, ack) -> socket.disconnect(!args.isEmpty() && args.getBoolean(0)));
        socket.on("count", (args, ack) -> ack.send(nsp.sockets().size()));
        socket.onDisconnect((reason, description) -> server.of("/").emit("left", nsp.name(), socket.id(), reason.wire()));
    }

    private static Object[] rest(Object[] all, int from) {
        Object[] out = new Object[Math.max(0, all.length - from)];
        System.arraycopy(all, from, out, 0, out.length);
        return out;
    }
}
