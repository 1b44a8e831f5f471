package dev.parley.standalone;

import dev.parley.transport.websocket.RawChannel;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.memory.Buffers;

/**
 * The Grizzly connection under a Tyrus WebSocket session, as a {@link RawChannel}: pre-built frames
 * are written straight to it, which the portable API does not offer. Tyrus keeps the connection a
 * few private fields deep (remote endpoint, its socket, the protocol handler, the Grizzly writer);
 * they are looked up once here. If this Tyrus differs, every session falls back to the portable
 * API and a warning says so once.
 */
final class GrizzlyRawChannels implements Function<Session, RawChannel> {

    private static final Logger LOG = Logger.getLogger(GrizzlyRawChannels.class.getName());

    /** remote endpoint → TyrusWebSocket → ProtocolHandler → GrizzlyWriter → Grizzly Connection. */
    private final Field[] path;

    private GrizzlyRawChannels(Field[] path) {
        this.path = path;
    }

    /** The channels of this Tyrus, or null when its internals are not as expected. */
    static GrizzlyRawChannels create() {
        try {
            return new GrizzlyRawChannels(new Field[] {
                field("org.glassfish.tyrus.core.TyrusRemoteEndpoint", "webSocket"),
                field("org.glassfish.tyrus.core.TyrusWebSocket", "protocolHandler"),
                field("org.glassfish.tyrus.core.ProtocolHandler", "writer"),
                field("org.glassfish.tyrus.container.grizzly.client.GrizzlyWriter", "connection"),
            });
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Tyrus internals not as expected; WebSocket frames use the portable API", e);
            return null;
        }
    }

    private static Field field(String type, String name) throws ReflectiveOperationException {
        Field f = Class.forName(type).getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    @Override
    public RawChannel apply(Session session) {
        Object at = session.getAsyncRemote();
        try {
            for (Field f : path) {
                if (at == null || !f.getDeclaringClass().isInstance(at)) {
                    return null; // e.g. another writer than Grizzly's: use the portable API
                }
                at = f.get(at);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return at instanceof Connection<?> c ? channel(c) : null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RawChannel channel(Connection connection) {
        return new RawChannel() {
            @Override
            public void write(ByteBuffer bytes, Completion done) {
                CompletionHandler<WriteResult> handler = new EmptyCompletionHandler<>() {
                    @Override
                    public void completed(WriteResult result) {
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
                };
                // Through the connection's filter chain, like Tyrus's own writes, so both keep one order.
                connection.write(Buffers.wrap(connection.getMemoryManager(), bytes), handler);
            }

            @Override
            public void abort() {
                // Not closeSilently: a graceful close waits for the writes in flight, which a client
                // that stopped reading never takes, so the session would linger until its ping timeout.
                connection.terminateSilently(); // Tyrus sees the close and ends the session (1006)
            }
        };
    }
}
