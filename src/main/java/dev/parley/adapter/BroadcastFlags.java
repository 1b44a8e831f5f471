package dev.parley.adapter;

import java.time.Duration;

/**
 * How a broadcast is sent, as Socket.IO's {@code BroadcastFlags}: {@code volatileSend} drops the
 * packet for sockets that cannot take it right now; {@code local} keeps it on this node (matters
 * with a multi-node adapter); {@code compress} is a hint transports may ignore; {@code timeout}
 * (or {@code null} for none) is how long a broadcast with acknowledgement waits for answers.
 * Immutable; each {@code with*} method returns a copy with one flag changed.
 */
public record BroadcastFlags(boolean volatileSend, boolean local, boolean compress, Duration timeout) {

    /** No flag set: reliable, every node, compressible, no timeout. */
    public static final BroadcastFlags NONE = new BroadcastFlags(false, false, true, null);

    public BroadcastFlags withVolatile(boolean value) {
        return new BroadcastFlags(value, local, compress, timeout);
    }

    public BroadcastFlags withLocal(boolean value) {
        return new BroadcastFlags(volatileSend, value, compress, timeout);
    }

    public BroadcastFlags withCompress(boolean value) {
        return new BroadcastFlags(volatileSend, local, value, timeout);
    }

    public BroadcastFlags withTimeout(Duration value) {
        return new BroadcastFlags(volatileSend, local, compress, value);
    }
}
