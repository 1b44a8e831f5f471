package dev.parley.transport.websocket;

import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

/**
 * The byte streams under Tyrus WebSocket sessions, as {@link RawChannels}: each session's is Tyrus's own
 * {@link Writer} (its SPI, the one Tyrus writes its frames through), which is Grizzly's connection
 * on the standalone server and the upgraded servlet connection's non-blocking output on Payara.
 * Pre-built frames written there keep their order with Tyrus's own (close frames), as both go
 * through the same writer. Tyrus keeps the writer a few private fields deep (remote endpoint, its
 * socket, the protocol handler); they are looked up once here, on the classes of the first session
 * (the container's, whichever loader holds them). If this Tyrus differs, its sessions fall back to
 * the portable API and a warning says so once.
 *
 * <p>Loaded only where Tyrus's SPI is on the class path ({@link ContainerWrites}, the standalone server).
 */
public final class TyrusChannels implements RawChannels<Writer> {

    private static final Logger LOG = Logger.getLogger(TyrusChannels.class.getName());
    private static final String[][] PATH = {
        {"org.glassfish.tyrus.core.TyrusRemoteEndpoint", "webSocket"},
        {"org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler"},
        {"org.glassfish.tyrus.core.ProtocolHandler", "writer"},
    };

    private final Consumer<Writer> abort;
    /** remote endpoint → TyrusWebSocket → ProtocolHandler → Writer; null until the first session, empty if unusable. */
    private volatile Field[] path;

    /**
     * @param abort drops a writer's connection at once, without a closing handshake (e.g. the
     *              standalone server terminates the Grizzly connection); {@code null} closes the writer
     */
    public TyrusChannels(Consumer<Writer> abort) {
        this.abort = abort != null ? abort : TyrusChannels::closeQuietly;
    }

    @Override
    public Writer channelOf(Session session) {
        Object at = session.getAsyncRemote();
        Field[] fields = pathFrom(at);
        if (fields.length == 0) {
            return null;
        }
        try {
            for (Field f : fields) {
                if (at == null || !f.getDeclaringClass().isInstance(at)) {
                    return null;
                }
                at = f.get(at);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return at instanceof Writer writer ? writer : null;
    }

    private Field[] pathFrom(Object remote) {
        Field[] fields = path;
        if (fields != null) {
            return fields;
        }
        synchronized (this) {
            if (path == null) {
                path = lookUp(remote);
            }
            return path;
        }
    }

    private static Field[] lookUp(Object remote) {
        try {
            ClassLoader loader = remote.getClass().getClassLoader();
            Field[] fields = new Field[PATH.length];
            for (int i = 0; i < PATH.length; i++) {
                Field f = Class.forName(PATH[i][0], false, loader).getDeclaredField(PATH[i][1]);
                f.setAccessible(true);
                fields[i] = f;
            }
            return fields;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Tyrus internals not as expected; WebSocket frames use the portable API", e);
            return new Field[0];
        }
    }

    @Override
    public void write(Writer writer, ByteBuffer bytes, Completion done) {
        writer.write(bytes, new CompletionHandler<>() {
            @Override
            public void completed(ByteBuffer result) {
                done.written();
            }

            @Override
            public void failed(Throwable error) {
                done.failed(error);
            }

            @Override
            public void cancelled() {
                done.failed(new IllegalStateException("write cancelled"));
            }
        });
    }

    @Override
    public void abort(Writer writer) {
        abort.accept(writer); // Tyrus sees the connection end and closes the session (1006)
    }

    private static void closeQuietly(Writer writer) {
        try {
            writer.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing a Tyrus writer", e);
        }
    }
}
