package dev.parley.transport.websocket;

import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import dev.parley.engine.Verdict;
import java.util.Objects;

/**
 * Hands the verdict on a WebSocket upgrade, reached in front of the container's upgrade (by
 * {@link UpgradeFilter} in a WAR, by the standalone server's Grizzly filter), to the
 * {@link EngineEndpointConfigurator} of the same engine, so the request is judged and admitted
 * once: the limiter counts one slot, the application's authenticator runs once.
 *
 * <p>The hand-over is a thread-local, open only while the caller runs the container's upgrade.
 * That is sound because every container Parley runs on calls {@code modifyHandshake} on the
 * thread of the request, inside the upgrade call: Tyrus's servlet filter ({@code
 * TyrusServletFilter.doFilter} calls {@code engine.upgrade}), Undertow's ({@code
 * JsrWebSocketFilter.doFilter} calls {@code handshaker.handshake}, which calls {@code
 * HandshakeUtil.prepareUpgrade}), and Tyrus's Grizzly filter ({@code
 * GrizzlyServerFilter.handleRead}). A client cannot forge it: nothing it sends reaches it. A
 * container that judged on another thread would find nothing here and the configurator would judge
 * again; the admission handed over but not taken is released by {@link Offer#close()}, so that case
 * still counts one slot.
 *
 * <p>A container that also opens the connection inside the upgrade call, on the same thread (Tyrus's
 * Grizzly filter: {@code handleRead} creates the connection, whose constructor runs {@code onOpen}),
 * is offered the verdict {@link #offerUntilOpen until the endpoint opens}: the configurator then leaves
 * it here rather than in the connection's user properties, and the endpoint takes it
 * ({@link #takeAtOpen}). Tyrus's session copies those properties into a {@code HashMap} of its own,
 * whose 16-slot table stays for the connection's life even once the entry is removed: 80 bytes per
 * idle WebSocket. A verdict the configurator took but no endpoint opened with is released at close.
 */
public final class UpgradeHandOver {

    private static final ThreadLocal<Offer> CURRENT = new ThreadLocal<>();

    private UpgradeHandOver() {
    }

    /**
     * Offers an allowed verdict to the configurator of {@code engine} until the returned offer is
     * closed; run the container's upgrade in between (try-with-resources).
     */
    public static Offer offer(EngineServer engine, EngineRequest request, Verdict verdict) {
        return offer(engine, request, verdict, false);
    }

    /**
     * As {@link #offer}, for a container that opens the connection (calls the endpoint's {@code onOpen})
     * on this thread before its upgrade call returns: the endpoint takes the verdict from here.
     */
    public static Offer offerUntilOpen(EngineServer engine, EngineRequest request, Verdict verdict) {
        return offer(engine, request, verdict, true);
    }

    private static Offer offer(EngineServer engine, EngineRequest request, Verdict verdict, boolean untilOpen) {
        if (!verdict.allowed()) {
            throw new IllegalArgumentException("only an allowed verdict is handed over: " + verdict);
        }
        Offer offer = new Offer(Objects.requireNonNull(engine, "engine"), new UpgradeOutcome(request, verdict),
                untilOpen, CURRENT.get());
        CURRENT.set(offer);
        return offer;
    }

    /** The verdict offered on this thread for {@code engine}, once; {@code null} if none. */
    static UpgradeOutcome take(EngineServer engine) {
        Offer offer = CURRENT.get();
        if (offer == null || offer.engine != engine || offer.taken) {
            return null;
        }
        offer.taken = true;
        return offer.outcome;
    }

    /**
     * Whether the verdict just {@link #take taken} for {@code engine} stays here for the endpoint's
     * {@link #takeAtOpen} (an offer {@link #offerUntilOpen until open}).
     */
    static boolean keptUntilOpen(EngineServer engine) {
        Offer offer = CURRENT.get();
        return offer != null && offer.engine == engine && offer.taken && offer.untilOpen && !offer.opened;
    }

    /** The verdict kept for the endpoint of {@code engine} opening on this thread, once; {@code null} if none. */
    static UpgradeOutcome takeAtOpen(EngineServer engine) {
        if (!keptUntilOpen(engine)) {
            return null;
        }
        Offer offer = CURRENT.get();
        offer.opened = true;
        return offer.outcome;
    }

    /** An open hand-over; closing it ends it and releases a verdict nobody took. */
    public static final class Offer implements AutoCloseable {

        private final EngineServer engine;
        private final UpgradeOutcome outcome;
        private final boolean untilOpen;
        private final Offer previous;
        private boolean taken; // one thread only: the one that offered it
        private boolean opened;

        private Offer(EngineServer engine, UpgradeOutcome outcome, boolean untilOpen, Offer previous) {
            this.engine = engine;
            this.outcome = outcome;
            this.untilOpen = untilOpen;
            this.previous = previous;
        }

        /** Whether the configurator took the verdict (the container went on to the handshake). */
        public boolean taken() {
            return taken;
        }

        @Override
        public void close() {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
            if (!taken || (untilOpen && !opened)) {
                // The container did not reach the handshake (it refused the request itself, e.g. a
                // bad Sec-WebSocket-Version), or kept here for an endpoint that did not open: the slot
                // must not stay counted.
                outcome.verdict().release();
            }
        }
    }
}
