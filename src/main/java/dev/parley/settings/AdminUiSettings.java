package dev.parley.settings;

import dev.parley.server.AdminUiOptions;
import dev.parley.server.ParleyOptions;

/**
 * The Admin UI settings of {@link Settings}, which make one {@link AdminUiOptions} together (validated
 * there: with {@code admin-ui=true}, {@code admin-ui-auth} must be said, and {@code basic} needs the
 * username and a bcrypt hash).
 */
final class AdminUiSettings {

    private boolean enabled;
    private String auth;
    private String username;
    private String passwordHash;
    private boolean readonly;
    private boolean production;
    private String path;
    private String serverId;
    private boolean touched;

    /** Starts from the base options' Admin UI settings, which those given replace one by one. */
    AdminUiSettings(AdminUiOptions base) {
        enabled = base.enabled();
        auth = base.auth();
        username = base.username();
        passwordHash = base.passwordHash();
        readonly = base.readonly();
        production = base.production();
        path = base.uiPath();
        serverId = base.serverId();
    }

    void enabled(boolean v) {
        enabled = v;
        touched = true;
    }

    void auth(String v) {
        auth = v;
        touched = true;
    }

    void username(String v) {
        username = v;
        touched = true;
    }

    void passwordHash(String v) {
        passwordHash = v;
        touched = true;
    }

    void readonly(boolean v) {
        readonly = v;
        touched = true;
    }

    void mode(String v) {
        production = v.equals("production");
        touched = true;
    }

    void path(String v) {
        path = v;
        touched = true;
    }

    void serverId(String v) {
        serverId = v;
        touched = true;
    }

    /** Sets the builder's Admin UI options when any of these settings was given (else the base's stay). */
    void applyTo(ParleyOptions.Builder parley) {
        if (!touched) {
            return;
        }
        parley.adminUi(new AdminUiOptions(enabled, auth, username, passwordHash, readonly, production, path, serverId));
    }
}
