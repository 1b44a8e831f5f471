package dev.parley.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.engine.EngineOptions;
import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import dev.parley.engine.Verdict;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over of an upgrade's verdict: taken once by the configurator; with an offer until open,
 * kept for the endpoint opening on the same thread instead of going into the connection's user
 * properties; and a connection slot nobody spent given back when the offer closes.
 */
class UpgradeHandOverTest {

    private final EngineServer engine = new EngineServer(EngineOptions.defaults());

    @AfterEach
    void close() {
        engine.close();
    }

    private Verdict admitted() {
        String query = "EIO=4&transport=websocket";
        EngineRequest request = new EngineRequest("GET", "/socket.io/?" + query, EngineRequest.parseQuery(query),
                Map.of(), "127.0.0.1", false);
        Verdict verdict = engine.admit(request, true);
        assertThat(verdict).isInstanceOf(Verdict.Admitted.class);
        return verdict;
    }

    @Test
    void anOfferUntilOpenIsKeptForTheEndpointAndTakenOnce() {
        Verdict verdict = admitted();
        try (UpgradeHandOver.Offer offer = UpgradeHandOver.offerUntilOpen(engine, null, verdict)) {
            assertThat(UpgradeHandOver.keptUntilOpen(engine)).as("kept before the configurator took it").isFalse();
            assertThat(UpgradeHandOver.take(engine).verdict()).isSameAs(verdict);
            assertThat(UpgradeHandOver.take(engine)).as("taken once").isNull();
            assertThat(UpgradeHandOver.keptUntilOpen(engine)).isTrue();
            assertThat(UpgradeHandOver.takeAtOpen(engine).verdict()).isSameAs(verdict);
            assertThat(UpgradeHandOver.takeAtOpen(engine)).as("opened once").isNull();
            assertThat(offer.taken()).isTrue();
        }
        assertThat(engine.admittedCount()).as("the opened endpoint spends the slot").isEqualTo(1);
        assertThat(UpgradeHandOver.takeAtOpen(engine)).as("nothing left on the thread").isNull();
        verdict.release();
    }

    @Test
    void aVerdictTakenButNeverOpenedIsReleased() {
        Verdict verdict = admitted();
        try (UpgradeHandOver.Offer offer = UpgradeHandOver.offerUntilOpen(engine, null, verdict)) {
            assertThat(UpgradeHandOver.take(engine)).isNotNull();
        }
        assertThat(engine.admittedCount()).isZero();
    }

    @Test
    void aPlainOfferIsNotKeptForTheEndpoint() {
        Verdict verdict = admitted();
        try (UpgradeHandOver.Offer offer = UpgradeHandOver.offer(engine, null, verdict)) {
            assertThat(UpgradeHandOver.take(engine)).isNotNull();
            assertThat(UpgradeHandOver.keptUntilOpen(engine)).isFalse();
            assertThat(UpgradeHandOver.takeAtOpen(engine)).isNull();
        }
        assertThat(engine.admittedCount()).as("taken by the configurator, which carries it on").isEqualTo(1);
        verdict.release();
        assertThat(engine.admittedCount()).isZero();
    }
}
