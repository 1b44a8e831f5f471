package dev.parley.server;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the Socket.IO Admin UI's server side ({@code dev.parley.admin}) runs, when a bootstrap turns it
 * on: off by default. Plain configuration, held by {@link ParleyOptions} so the settings declare it
 * once; the model itself never reads it.
 *
 * @param enabled      whether the {@code /admin} namespace and the UI's static files are served
 * @param auth         {@code "basic"} (a username and a bcrypt hash) or {@code "none"}, which must be
 *                     said explicitly, as the reference's {@code auth: false}; {@code null} when off
 * @param username     the login for {@code basic}
 * @param passwordHash the bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}) of the password for {@code basic}
 * @param readonly     whether the UI's commands ({@code emit}, {@code join}, {@code leave}, {@code _disconnect}) are refused
 * @param production   the reference's {@code mode: "production"}: only aggregated statistics, no per-socket events
 * @param uiPath       where the UI's static files are served, ending with {@code /}
 * @param serverId     how this node names itself in {@code server_stats} (the reference's {@code serverId}
 *                     option), so that the UI tells the nodes of a cluster apart; {@code null}: the host's name,
 *                     as the reference's default
 */
public record AdminUiOptions(boolean enabled, String auth, String username, String passwordHash, boolean readonly,
                             boolean production, String uiPath, String serverId) {

    /** The default: no Admin UI. */
    public static final AdminUiOptions OFF = new AdminUiOptions(false, null, null, null, false, false, "/admin-ui/");

    /** As the canonical constructor, the node named by its host ({@code serverId} null). */
    public AdminUiOptions(boolean enabled, String auth, String username, String passwordHash, boolean readonly,
                          boolean production, String uiPath) {
        this(enabled, auth, username, passwordHash, readonly, production, uiPath, null);
    }

    private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    public AdminUiOptions {
        Objects.requireNonNull(uiPath, "uiPath");
        if (serverId != null && serverId.isBlank()) {
            throw new IllegalArgumentException("the Admin UI's server id, when given, must not be blank");
        }
        if (!uiPath.startsWith("/") || !uiPath.endsWith("/")) {
            throw new IllegalArgumentException("the Admin UI path must start and end with '/', got " + uiPath);
        }
        if (enabled) {
            if (auth == null) {
                throw new IllegalArgumentException("the Admin UI needs its authentication said: basic (a username "
                        + "and a bcrypt hash) or none");
            }
            if (!auth.equals("basic") && !auth.equals("none")) {
                throw new IllegalArgumentException("the Admin UI's authentication is basic or none, got " + auth);
            }
            if (auth.equals("basic") && (username == null || username.isEmpty())) {
                throw new IllegalArgumentException("the Admin UI's basic authentication needs a username");
            }
            if (auth.equals("basic") && (passwordHash == null || !BCRYPT.matcher(passwordHash).matches())) {
                throw new IllegalArgumentException("the Admin UI's password must be a valid bcrypt hash");
            }
        }
    }

    /** Whether logins are checked ({@code basic}). */
    public boolean checksCredentials() {
        return "basic".equals(auth);
    }
}
