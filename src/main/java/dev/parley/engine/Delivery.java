package dev.parley.engine;

/**
 * How packets handed to a session or transport should leave, chosen by the caller, as Netty's
 * {@code writeAndFlush()} versus {@code write()}: a transport that gathers writes (the raw
 * WebSocket writer) decides by it whether to write on the calling thread or hand the write to its
 * writer thread. Transports that cannot gather treat both alike.
 */
public enum Delivery {

    /**
     * One send on its own (a reply, an ack, a ping): written at once on the calling thread when the
     * connection is idle, with no hand-off.
     */
    NOW,

    /**
     * One of many sends made in a row (each recipient of a broadcast): queued for the transport's
     * writer, so the sender moves on to the next recipient at once and the frames waiting for one
     * connection leave together in one write.
     */
    BATCH
}
