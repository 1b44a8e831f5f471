package dev.parley.adapter;

import dev.parley.protocol.socketio.Args;

/**
 * What a broadcast with acknowledgement ({@link Adapter#broadcastWithAck}) brings back, as
 * socket.io-adapter's {@code clientCountCallback} and {@code ack} callbacks: how many sockets the
 * packet went to, then each one's answer. Answers may come before the count and from any thread;
 * implementations are thread-safe.
 */
public interface AckListener {

    /**
     * How many sockets were sent the packet, called exactly once (an adapter spanning several nodes
     * reports their total, as socket.io's counts the servers before it trusts the sum).
     */
    void sent(int clientCount);

    /** One socket's answer. */
    void answered(Args answer);

    /** A socket that was sent the packet disconnected before answering; it never will. */
    void lost(Exception reason);
}
