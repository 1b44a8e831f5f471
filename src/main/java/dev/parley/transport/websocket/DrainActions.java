package dev.parley.transport.websocket;

/**
 * The actions waiting for a connection's queue to drain ({@link RawFrameWriter.Target#whenDrained}),
 * kept by the frame writers as one runnable: those added run in the order they were added.
 */
final class DrainActions {

    private static final Runnable NONE = () -> { };

    private DrainActions() {
    }

    /** {@code waiting} (or nothing, when null) followed by {@code action}. */
    static Runnable then(Runnable waiting, Runnable action) {
        return waiting == null ? action : () -> {
            waiting.run();
            action.run();
        };
    }

    /** {@code waiting}, or an action that does nothing when none waits. */
    static Runnable orNothing(Runnable waiting) {
        return waiting == null ? NONE : waiting;
    }
}
