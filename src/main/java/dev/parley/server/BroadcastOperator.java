package dev.parley.server;

import dev.parley.adapter.BroadcastFlags;
import dev.parley.adapter.BroadcastOptions;
import dev.parley.protocol.socketio.Args;
import dev.parley.protocol.socketio.PayloadValues;
import dev.parley.protocol.socketio.SocketPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

/**
 * An immutable description of a broadcast (which rooms, which not, with which flags: one
 * {@link BroadcastOptions} value), built with chained calls like Socket.IO's:
 * {@code server.to("a").except("b").emit("event", args)}. Every call returns a new operator with
 * one part of the options changed. Emitting hands the packet and the options to the namespace's
 * adapter, which encodes it once for all recipients; acknowledgements come back through it too.
 */
public final class BroadcastOperator {

    private final Namespace namespace;
    private final BroadcastOptions options;

    BroadcastOperator(Namespace namespace, BroadcastOptions options) {
        this.namespace = namespace;
        this.options = options;
    }

    private BroadcastOperator with(BroadcastOptions changed) {
        return new BroadcastOperator(namespace, changed);
    }

    private BroadcastOperator with(BroadcastFlags changed) {
        return with(options.with(changed));
    }

    /** Adds rooms to target (sockets in any of them). */
    public BroadcastOperator to(String... more) {
        return with(options.to(more));
    }

    public BroadcastOperator in(String... more) {
        return to(more);
    }

    /** Excludes the sockets in these rooms. */
    public BroadcastOperator except(String... more) {
        return with(options.except(more));
    }

    /** Drops the packet for clients that cannot receive it right now (Socket.IO's {@code volatile}). */
    public BroadcastOperator asVolatile() {
        return with(options.flags().withVolatile(true));
    }

    /** Only sockets connected to this node (matters with a multi-node adapter). */
    public BroadcastOperator local() {
        return with(options.flags().withLocal(true));
    }

    /**
     * Whether the packet may be compressed (default true, as Socket.IO's {@code compress}): false sends
     * every WebSocket frame of it uncompressed even where permessage-deflate was negotiated, and a
     * polling response holding only such packets is not gzipped. True leaves it to the settings
     * ({@code per-message-deflate}, {@code http-compression}) and their thresholds.
     */
    public BroadcastOperator compress(boolean value) {
        return with(options.flags().withCompress(value));
    }

    /** How long {@link #emitWithAck} waits for acknowledgements. */
    public BroadcastOperator timeout(Duration value) {
        return with(options.flags().withTimeout(value));
    }

    /** The rooms, exceptions and flags this operator broadcasts with. */
    public BroadcastOptions options() {
        return options;
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
        namespace.server().stats().broadcast();
        namespace.adapter().broadcast(packet, options);
    }

    /**
     * Emits the event to every selected socket (arguments as for {@link #emit}, thrown the same way
     * when they cannot be sent) and completes with their acknowledgements, in the order they
     * arrived, once all have answered; it fails when a recipient disconnects first. With a
     * {@link #timeout}, fails with a {@link TimeoutException} when some have not answered in time.
     * The packet goes through the adapter ({@link dev.parley.adapter.Adapter#broadcastWithAck}),
     * encoded once, which reports how many sockets it reached.
     */
    public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
        Socket.checkEvent(event);
        PayloadValues.Encoded enc = PayloadValues.encode(event, args); // first: if it fails, nothing waits for acks
        long ackId = namespace.nextAckId();
        AckCollection acks = new AckCollection();
        CompletableFuture<List<Args>> all = acks.result();
        Duration timeout = options.flags().timeout();
        if (timeout != null) {
            ScheduledFuture<?> timer = namespace.server().schedule(() -> {
                if (all.completeExceptionally(new TimeoutException("not every client acknowledged '" + event
                        + "' within " + timeout.toMillis() + " ms"))) {
                    namespace.server().stats().ackTimedOut();
                    forgetAck(ackId);
                }
            }, timeout.toMillis());
            all.whenComplete((r, e) -> timer.cancel(false));
        }
        SocketPacket packet = SocketPacket.event(namespace.name(), enc.array(), ackId, enc.attachments());
        namespace.server().stats().broadcast();
        namespace.adapter().broadcastWithAck(packet, options, acks);
        return all;
    }

    /**
     * The sockets still selected stop waiting for an answer nobody waits for any more; one that left
     * the selection meanwhile lets go of it when it answers or disconnects.
     */
    private void forgetAck(long ackId) {
        for (Socket s : localSockets()) {
            s.cancelAck(ackId);
        }
    }

    /**
     * The selected sockets on every node (only this node's with {@link #local()}), as socket.io's
     * {@code fetchSockets()}: this node's and the others' alike, each a {@link RemoteSocket} holding
     * what its node described. Fails with a {@link TimeoutException} when some node has not answered
     * within the adapter's request timeout.
     */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return namespace.adapter().fetchSockets(options).thenApply(
                all -> all.stream().map(d -> new RemoteSocket(namespace, d)).toList());
    }

    /** The selected sockets connected to this node, as live {@link Socket}s. */
    public List<Socket> localSockets() {
        List<Socket> out = new ArrayList<>();
        for (String id : namespace.adapter().sockets(options)) {
            Socket s = namespace.socket(id);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** Makes the selected sockets join these rooms, on every node (this one only with {@link #local()}). */
    public void socketsJoin(String... more) {
        namespace.adapter().addSockets(options, Set.of(more));
    }

    /** Makes the selected sockets leave these rooms, on every node (this one only with {@link #local()}). */
    public void socketsLeave(String... more) {
        namespace.adapter().delSockets(options, Set.of(more));
    }

    /**
     * Disconnects the selected sockets (and their whole connections when {@code close}), on every
     * node (this one only with {@link #local()}).
     */
    public void disconnectSockets(boolean close) {
        namespace.adapter().disconnectSockets(options, close);
    }
}
