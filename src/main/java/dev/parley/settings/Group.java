package dev.parley.settings;

/** The part of Parley a setting belongs to; {@code --help} and the README list settings by group. */
public enum Group {
    ENGINE_IO("Engine.IO"),
    SOCKET_IO("Socket.IO"),
    STANDALONE("Standalone server (ignored in a WAR: the container's connector has its own)"),
    SECURITY("Security and limits"),
    METRICS("Metrics"),
    HEALTH("Health"),
    ADMIN_UI("Admin UI (the server side of the official Socket.IO Admin UI)");

    private final String title;

    Group(String title) {
        this.title = title;
    }

    /** The heading shown above the group's settings. */
    public String title() {
        return title;
    }
}
