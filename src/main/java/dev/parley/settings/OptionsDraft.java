package dev.parley.settings;

import dev.parley.engine.EngineOptions;
import dev.parley.server.ParleyOptions;

/**
 * The options being built while settings are read: the builders of a base {@link ParleyOptions}
 * and its engine's, plus the authentication settings, which make one authenticator together, and the
 * adapter settings, which make one adapter factory.
 */
final class OptionsDraft {

    final EngineOptions.Builder engine;
    final ParleyOptions.Builder parley;
    final AuthSettings auth = new AuthSettings();
    final AdapterSettings adapter = new AdapterSettings();
    final AdminUiSettings adminUi;

    OptionsDraft(ParleyOptions base) {
        this.engine = base.engine().toBuilder();
        this.parley = base.toBuilder();
        this.adminUi = new AdminUiSettings(base.adminUi());
    }

    /** The options, validated by their builders. */
    ParleyOptions build() {
        auth.applyTo(parley);
        try {
            adminUi.applyTo(parley);
            ParleyOptions built = parley.engine(engine.build()).build();
            // the adapter last: a Streams adapter keeps sessions as long as recovery says
            adapter.applyTo(parley, built.recoveryMaxDisconnectionMillis());
            return parley.build();
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException("invalid Parley settings: " + invalid.getMessage(), invalid);
        }
    }
}
