package dev.parley.server;

import dev.parley.adapter.BroadcastOptions;
import dev.parley.engine.BroadcastScope;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

/**
 * An immutable description of a broadcast (which rooms, which not, with which flags), built with
 * chained calls like Socket.IO's: {@code server.to("a").except("b").emit("event", args)}. Every
 * call returns a new operator; the packet is encoded once for all recipients.
 */
public final class BroadcastOperator {

    private final Namespace namespace;
    private final Set<String> rooms;
    private final Set<String> except;
    private final boolean volatileSend;
    private final boolean local;
    private final boolean compress;
    private final Duration timeout;

    BroadcastOperator(Namespace namespace) {
        this(namespace, Set.of(), Set.of(), false, false, true, null);
    }

    BroadcastOperator(Namespace namespace, Set<String> rooms, Set<String> except, boolean volatileSend,
                      boolean local, boolean compress, Duration timeout) {
        this.namespace = namespace;
        this.rooms = Set.copyOf(rooms);
        this.except = Set.copyOf(except);
        this.volatileSend = volatileSend;
        this.local = local;
        this.compress = compress;
        this.timeout = timeout;
    }

    /** Adds rooms to target (sockets in any of them). */
    public BroadcastOperator to(String... more) {
        return new BroadcastOperator(namespace, union(rooms, more), except, volatileSend, local, compress, timeout);
    }

    public BroadcastOperator in(String... more) {
        return to(more);
    }

    /** Excludes the sockets in these rooms. */
    public BroadcastOperator except(String... more) {
        return new BroadcastOperator(namespace, rooms, union(except, more), volatileSend, local, compress, timeout);
    }

    /** Drops the packet for clients that cannot receive it right now (Socket.IO's {@code volatile}). */
    public BroadcastOperator asVolatile() {
        return new BroadcastOperator(namespace, rooms, except, true, local, compress, timeout);
    }

    /** Only sockets connected to this node (matters with a multi-node adapter). */
    public BroadcastOperator local() {
        return new BroadcastOperator(namespace, rooms, except, volatileSend, true, compress, timeout);
    }

    /** Compression hint, kept for API parity; transports decide (permessage-deflate is negotiated per connection). */
    public BroadcastOperator compress(boolean value) {
        return new BroadcastOperator(namespace, rooms, except, volatileSend, local, value, timeout);
    }

    /** How long {@link #emitWithAck} waits for acknowledgements. */
    public BroadcastOperator timeout(Duration value) {
        return new BroadcastOperator(namespace, rooms, except, volatileSend, local, compress, value);
    }

    /**
     * Emits the event to every selected socket. The arguments are converted as by
     * {@link Socket#emit} (records and other objects through JSON-B), once for all recipients.
     *
     * @throws IllegalArgumentException when an argument cannot be converted
     * @throws IllegalStateException when an argument needs JSON-B and no implementation is available
     */
    public void emit(String event, Object... args) {
        Socket.checkEvent(event);
        PayloadValues.Encoded enc = PayloadValues.encode(event, args);
        SocketPacket packet = SocketPacket.event(namespace.name(), enc.array(), SocketPacket.NO_ACK, enc.attachments());
        BroadcastScope.run(() -> namespace.adapter().broadcast(packet, options()));
    }

    /**
     * Emits the event to every selected socket (arguments as for {@link #emit}, thrown the same way
     * when they cannot be sent) and completes with their acknowledgements once all
     * have answered. With a {@link #timeout}, fails with a {@link TimeoutException} when some have
     * not answered in time.
     */
    public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
        Socket.checkEvent(event);
        PayloadValues.Encoded enc = PayloadValues.encode(event, args); // first: if it fails, nothing waits for acks
        List<Socket> targets = fetchSockets();
        long ackId = namespace.nextAckId();
        List<CompletableFuture<Args>> each = new ArrayList<>(targets.size());
        for (Socket s : targets) {
            CompletableFuture<Args> f = new CompletableFuture<>();
            s.expectAck(ackId, f);
            each.add(f);
        }
        CompletableFuture<List<Args>> all = CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
        if (timeout != null) {
            ScheduledFuture<?> timer = namespace.server().schedule(() -> {
                if (all.completeExceptionally(new TimeoutException("not every client acknowledged '" + event
                        + "' within " + timeout.toMillis() + " ms"))) {
                    for (Socket s : targets) {
                        s.cancelAck(ackId);
                    }
                }
            }, timeout.toMillis());
            all.whenComplete((r, e) -> timer.cancel(false));
        }
        Outgoing prepared = Outgoing.of(SocketPacket.event(namespace.name(), enc.array(), ackId, enc.attachments()));
        BroadcastScope.run(() -> {
            for (Socket s : targets) {
                s.write(prepared, volatileSend);
            }
        });
        return all;
    }

    /** The selected sockets on this node. */
    public List<Socket> fetchSockets() {
        List<Socket> out = new ArrayList<>();
        for (String id : namespace.adapter().sockets(options())) {
            Socket s = namespace.socket(id);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** Makes the selected sockets join these rooms. */
    public void socketsJoin(String... more) {
        for (Socket s : fetchSockets()) {
            s.join(more);
        }
    }

    /** Makes the selected sockets leave these rooms. */
    public void socketsLeave(String... more) {
        for (Socket s : fetchSockets()) {
            for (String room : more) {
                s.leave(room);
            }
        }
    }

    /** Disconnects the selected sockets (and their whole connections when {@code close}). */
    public void disconnectSockets(boolean close) {
        for (Socket s : fetchSockets()) {
            s.disconnect(close);
        }
    }

    BroadcastOptions options() {
        return new BroadcastOptions(rooms, except, volatileSend, local, compress);
    }

    private static Set<String> union(Set<String> a, String[] b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(Arrays.asList(b));
        return out;
    }
}
