package dev.parley;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the main code, checked on its bytecode: codecs at the bottom depend on nothing of
 * Parley's above them, the engine not on the Socket.IO model, transports not on the model or the
 * bootstraps, the client only on the codecs, settings above the model and below the bootstraps,
 * metrics beside the model (only they know Micrometer), and nothing below the Jakarta and
 * standalone bootstraps on them; the Admin UI on the model's public API, installed by the bootstraps
 * only; no cycles between packages.
 */
class LayeringTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.parley");
    }

    @Test
    void theCodecsDependOnNothingOfOursAboveThem() {
        noClasses().that().resideInAPackage("dev.parley.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.engine..", "dev.parley.server..",
                        "dev.parley.adapter..", "dev.parley.auth..", "dev.parley.transport..", "dev.parley.client..",
                        "dev.parley.jakarta..", "dev.parley.standalone..", "dev.parley.demo..")
                .check(main);
        noClasses().that().resideInAPackage("dev.parley.protocol.engineio..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.protocol.socketio..").check(main);
    }

    @Test
    void theEngineKnowsNoSocketIoModelTransportOrBootstrap() {
        noClasses().that().resideInAPackage("dev.parley.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.server..", "dev.parley.adapter..",
                        "dev.parley.protocol.socketio..", "dev.parley.transport..", "dev.parley.client..",
                        "dev.parley.jakarta..", "dev.parley.standalone..", "dev.parley.demo..", "dev.parley.settings..")
                .check(main);
    }

    @Test
    void transportsAreGlueBetweenTheContainerAndTheEngine() {
        noClasses().that().resideInAPackage("dev.parley.transport..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.server..", "dev.parley.adapter..",
                        "dev.parley.client..", "dev.parley.jakarta..", "dev.parley.standalone..", "dev.parley.demo..",
                        "dev.parley.settings..")
                .check(main);
    }

    @Test
    void theModelKnowsNoTransportOrBootstrap() {
        noClasses().that().resideInAnyPackage("dev.parley.server..", "dev.parley.adapter..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.transport..", "dev.parley.client..",
                        "dev.parley.jakarta..", "dev.parley.standalone..", "dev.parley.demo..", "dev.parley.settings..",
                        "dev.parley.admin..")
                .check(main);
        noClasses().that().resideInAPackage("dev.parley.adapter..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.server..", "dev.parley.engine..")
                .check(main);
    }

    /**
     * Settings read from the outside world (flags, properties, environment, context parameters,
     * key files) and build the model's options: above the engine and the model, below the
     * bootstraps, and nothing below them knows the names.
     */
    @Test
    void settingsAreReadAboveTheModelAndBelowTheBootstraps() {
        noClasses().that().resideInAPackage("dev.parley.settings..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.transport..", "dev.parley.client..",
                        "dev.parley.jakarta..", "dev.parley.standalone..", "dev.parley.demo..")
                .check(main);
    }

    /**
     * Metrics sit beside the model, above it: the engine and the model count in plain counters of
     * their own ({@code EngineStats}, {@code ServerStats}) and know neither Micrometer nor the
     * metrics package; {@code dev.parley.metrics} binds those counters to Micrometer and serves them,
     * and only the bootstraps put it on a server.
     */
    @Test
    void metricsReadTheModelAndOnlyTheMetricsPackageKnowsMicrometer() {
        noClasses().that().resideOutsideOfPackage("dev.parley.metrics..")
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .check(main);
        noClasses().that().resideInAnyPackage("dev.parley.protocol..", "dev.parley.engine..", "dev.parley.server..",
                        "dev.parley.adapter..", "dev.parley.transport..", "dev.parley.settings..", "dev.parley.auth..",
                        "dev.parley.client..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.metrics..")
                .check(main);
        noClasses().that().resideInAPackage("dev.parley.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.transport..", "dev.parley.client..",
                        "dev.parley.jakarta..", "dev.parley.standalone..", "dev.parley.demo..", "dev.parley.settings..")
                .check(main);
    }

    /**
     * Health is decided in the model ({@code ParleyServer.liveness/readiness}, the adapter factory's
     * state) and only rendered above it: {@code dev.parley.health} (the JSON endpoint) reads the model
     * and nothing below knows it; only the Jakarta bootstrap knows MicroProfile Health, which is optional.
     */
    @Test
    void healthIsDecidedInTheModelAndRenderedAboveIt() {
        noClasses().that().resideInAnyPackage("dev.parley.protocol..", "dev.parley.engine..", "dev.parley.server..",
                        "dev.parley.adapter..", "dev.parley.transport..", "dev.parley.settings..", "dev.parley.auth..",
                        "dev.parley.client..", "dev.parley.metrics..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.health..")
                .check(main);
        noClasses().that().resideInAPackage("dev.parley.health..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.transport..", "dev.parley.client..",
                        "dev.parley.jakarta..", "dev.parley.standalone..", "dev.parley.demo..", "dev.parley.settings..",
                        "dev.parley.adapter..", "dev.parley.engine..")
                .check(main);
        noClasses().that().resideOutsideOfPackage("dev.parley.jakarta..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.microprofile..")
                .check(main);
    }

    /**
     * The Admin UI's server side sits beside the bootstraps, on the model's public API (plus the
     * codecs' payload values): it knows no engine, adapter, transport, settings or bootstrap, and
     * only the bootstraps (which install it) depend on it; the model's hooks ({@code ServerObserver})
     * know nothing of it.
     */
    @Test
    void theAdminUiUsesTheModelFromAbove() {
        noClasses().that().resideInAPackage("dev.parley.admin..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.engine..", "dev.parley.adapter..",
                        "dev.parley.transport..", "dev.parley.client..", "dev.parley.jakarta..",
                        "dev.parley.standalone..", "dev.parley.demo..", "dev.parley.settings..", "dev.parley.auth..")
                .check(main);
        noClasses().that().resideOutsideOfPackages("dev.parley.admin..", "dev.parley.jakarta..",
                        "dev.parley.standalone..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.admin..")
                .check(main);
    }

    @Test
    void authenticationDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.parley.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.protocol..", "dev.parley.engine..",
                        "dev.parley.server..", "dev.parley.adapter..", "dev.parley.transport..", "dev.parley.client..",
                        "dev.parley.jakarta..", "dev.parley.standalone..", "dev.parley.demo..", "dev.parley.settings..")
                .check(main);
    }

    @Test
    void theClientUsesOnlyTheCodecs() {
        noClasses().that().resideInAPackage("dev.parley.client..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.engine..", "dev.parley.server..",
                        "dev.parley.adapter..", "dev.parley.auth..", "dev.parley.transport..", "dev.parley.jakarta..",
                        "dev.parley.standalone..", "dev.parley.demo..", "dev.parley.settings..")
                .check(main);
    }

    @Test
    void theWarBootstrapDoesNotNeedTheStandaloneServer() {
        noClasses().that().resideInAPackage("dev.parley.jakarta..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.parley.standalone..", "dev.parley.demo..",
                        "dev.parley.client..")
                .check(main);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("dev.parley.(**)").should().beFreeOfCycles().check(main);
    }
}
