package dev.parley.engine;

import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EnginePacket;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport for engine unit tests: it records what the session sends and can be made writable
 * or not, as a waiting poll would. The real transports are exercised by the integration tests.
 */
final class RecordingTransport implements Transport {

    private final String name;
    private final List<EnginePacket> sent = new ArrayList<>();
    private final List<Integer> batches = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private boolean gathers;
    private boolean writable;
    private Boolean closedWithClosePacket;

    RecordingTransport(String name, boolean writable) {
        this.name = name;
        this.writable = writable;
    }

    @Override
    public String name() {
        return name;
    }

    /** Makes the transport ask the session to let packets gather, as polling does. */
    RecordingTransport gathering() {
        gathers = true;
        return this;
    }

    @Override
    public boolean gathersPackets() {
        return gathers;
    }

    @Override
    public synchronized boolean isWritable() {
        return writable && closedWithClosePacket == null;
    }

    synchronized void setWritable(boolean writable) {
        this.writable = writable;
    }

    @Override
    public synchronized void send(List<EncodedPacket> packets, Delivery delivery) {
        for (EncodedPacket p : packets) {
            sent.add(p.packet());
        }
        deliveries.add(delivery);
        batches.add(packets.size());
        if (name.equals("polling")) {
            writable = false; // a poll answers once
        }
    }

    @Override
    public synchronized void close(boolean sendClosePacket) {
        if (closedWithClosePacket == null) {
            closedWithClosePacket = sendClosePacket;
        }
    }

    private boolean discarded;

    @Override
    public synchronized void discard() {
        discarded = true;
        close(false);
    }

    synchronized boolean discarded() {
        return discarded;
    }

    synchronized List<EnginePacket> sent() {
        return new ArrayList<>(sent);
    }

    /** How many packets each send carried. */
    synchronized List<Integer> batches() {
        return new ArrayList<>(batches);
    }

    /** How each send was asked to leave. */
    synchronized List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    synchronized Boolean closedWithClosePacket() {
        return closedWithClosePacket;
    }
}
