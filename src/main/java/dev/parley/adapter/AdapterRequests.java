package dev.parley.adapter;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * How an {@link AdapterFactory}'s adapters' requests to the other nodes ended, and how long they
 * took: a count and a total time per {@link Type} and {@link Outcome}, plain {@code LongAdder}s that
 * know nothing of Micrometer ({@code dev.parley.metrics} reads them as a function timer). An adapter
 * {@link #start starts} a {@link Timing} when it sends a request that waits for other nodes, and
 * every way that request can end (every answer in, its timeout, a failure to publish, the adapter
 * closing) calls {@link Timing#end}: the first call records, later ones (an answer racing the
 * timeout) do nothing, so each request is counted once. A request that needs no other node (a
 * cluster of one, the {@code local} flag) is no request and is not counted. Thread-safe.
 */
public final class AdapterRequests {

    /** The kinds of request that wait for the other nodes, as the {@code type} tag shows them ({@link #tag()}). */
    public enum Type {
        /** {@code fetchSockets()} (and what is built on it): every node's matching sockets. */
        FETCH_SOCKETS("fetch-sockets"),
        /** {@code serverSideEmitWithAck}: every other node's answer. */
        SERVER_SIDE_EMIT("server-side-emit"),
        /** a broadcast with acknowledgement: every node's count of the clients it reached. */
        BROADCAST_ACK("broadcast-ack");

        private final String tag;

        Type(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** How a request ended, as the {@code outcome} tag shows it ({@link #tag()}). */
    public enum Outcome {
        /** every node it waited for answered in time */
        ANSWERED("answered"),
        /** its timeout passed before every node answered */
        TIMED_OUT("timed-out"),
        /** it could not be sent (Redis unreachable) or the adapter closed before it ended */
        FAILED("failed");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** The requests of an adapter that asks no other node (in memory): nothing is ever recorded here. */
    public static final AdapterRequests NONE = new AdapterRequests();

    private final LongAdder[][] counts = new LongAdder[Type.values().length][Outcome.values().length];
    private final LongAdder[][] nanos = new LongAdder[Type.values().length][Outcome.values().length];

    public AdapterRequests() {
        for (int t = 0; t < counts.length; t++) {
            for (int o = 0; o < counts[t].length; o++) {
                counts[t][o] = new LongAdder();
                nanos[t][o] = new LongAdder();
            }
        }
    }

    /** Starts timing one request of {@code type}, now. */
    public Timing start(Type type) {
        return new Timing(type);
    }

    /** Requests of {@code type} that ended with {@code outcome}. */
    public long count(Type type, Outcome outcome) {
        return counts[type.ordinal()][outcome.ordinal()].sum();
    }

    /** Their total time, from start to end, in nanoseconds. */
    public long totalNanos(Type type, Outcome outcome) {
        return nanos[type.ordinal()][outcome.ordinal()].sum();
    }

    /** One request in flight; {@link #end} records it once. */
    public final class Timing {
        private final Type type;
        private final long started = System.nanoTime();
        private final AtomicBoolean ended = new AtomicBoolean();

        private Timing(Type type) {
            this.type = type;
        }

        /**
         * Records the request as ended with {@code outcome}, unless it already ended.
         *
         * @return whether this call recorded it
         */
        public boolean end(Outcome outcome) {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            counts[type.ordinal()][outcome.ordinal()].increment();
            nanos[type.ordinal()][outcome.ordinal()].add(System.nanoTime() - started);
            return true;
        }

        /** Ends the request without recording it: it turned out to need no other node (a cluster of one). */
        public void discard() {
            ended.set(true);
        }
    }
}
