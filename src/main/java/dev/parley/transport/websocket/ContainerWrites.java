package dev.parley.transport.websocket;

import dev.parley.engine.EngineOptions;
import dev.parley.engine.OutboundBound;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How one application's WebSocket frames are written in a container, chosen once from what the
 * application's class loader can see, never from configuration: Undertow's channel
 * ({@link UndertowFrameWriter}, WildFly), else Tyrus's writer behind a gathering writer thread
 * ({@link TyrusChannels}, Payara), else the portable Jakarta WebSocket API; the portable API also
 * when {@link EngineOptions#nativeWebSocketWrites()} is off. Per session, a native writer that does
 * not recognise the session (another implementation, a negotiated extension) leaves it to the
 * portable API, so nothing a container does differently can stop frames from being sent. Close it
 * with the application: it owns the writer thread, if any.
 */
public final class ContainerWrites implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ContainerWrites.class.getName());

    private final RawFrameWriter writer;
    private final String description;
    private final AutoCloseable owned;

    private ContainerWrites(RawFrameWriter writer, String description, AutoCloseable owned) {
        this.writer = writer;
        this.description = description;
        this.owned = owned;
    }

    /**
     * The writer for an application whose engine has {@code options}, found through {@code loader}
     * (the application's); {@code threadName} names the writer thread where one is needed.
     */
    public static ContainerWrites choose(EngineOptions options, ClassLoader loader, String threadName) {
        if (!options.nativeWebSocketWrites()) {
            return new ContainerWrites(RawFrameWriter.NONE, "the portable Jakarta WebSocket API (websocket-writes=portable)",
                    null);
        }
        try {
            if (visible(loader, "io.undertow.websockets.jsr.UndertowSession", "io.undertow.websockets.core.WebSockets")) {
                return new ContainerWrites(new UndertowFrameWriter(OutboundBound.backstopBytes(options.maxBufferedBytes())),
                        "Undertow's WebSocket channel (native)", null);
            }
            if (visible(loader, "org.glassfish.tyrus.spi.Writer", "org.glassfish.tyrus.core.TyrusSession")) {
                GatheringFrameWriter gathering = new GatheringFrameWriter(new TyrusChannels(null),
                        (int) Math.min(Integer.MAX_VALUE, OutboundBound.backstopBytes(options.maxBufferedBytes())), threadName);
                return new ContainerWrites(gathering, "Tyrus's writer, gathered by thread " + threadName + " (native)",
                        gathering);
            }
        } catch (LinkageError e) {
            // A container whose classes are visible but not as compiled against: the portable API.
            LOG.log(Level.WARNING, "native WebSocket writes unavailable; using the portable API", e);
        }
        return new ContainerWrites(RawFrameWriter.NONE,
                "the portable Jakarta WebSocket API (no native writer known for this container)", null);
    }

    private static boolean visible(ClassLoader loader, String... names) {
        for (String name : names) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
        return true;
    }

    /** Where the endpoint's sessions write; {@link RawFrameWriter#NONE} for the portable API. */
    public RawFrameWriter writer() {
        return writer;
    }

    /** Which path this is, for the start-up log line: e.g. "Undertow's WebSocket channel (native)". */
    public String description() {
        return description;
    }

    /** Whether frames go through the container's own channel (for sessions it recognises). */
    public boolean isNative() {
        return writer != RawFrameWriter.NONE;
    }

    /** Stops the writer thread, if there is one. */
    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "stopping the WebSocket writer", e);
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
