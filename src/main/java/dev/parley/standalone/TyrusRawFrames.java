package dev.parley.standalone;

import dev.parley.transport.websocket.RawFrameWriter;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes pre-built frames through Tyrus's own {@code TyrusWebSocket.sendRawFrame}, which the
 * portable API does not offer: a broadcast then costs one frame build instead of one UTF-8
 * encoding and frame per recipient. Reached by reflection (the socket sits in a package-private
 * field of the remote endpoint); if this Tyrus version differs, every session falls back to the
 * portable API and a warning says so once.
 */
final class TyrusRawFrames implements RawFrameWriter {

    private static final Logger LOG = Logger.getLogger(TyrusRawFrames.class.getName());

    private final Field socketField;
    private final Method sendRawFrame;

    private TyrusRawFrames(Field socketField, Method sendRawFrame) {
        this.socketField = socketField;
        this.sendRawFrame = sendRawFrame;
    }

    /** The writer for this Tyrus, or {@link RawFrameWriter#NONE} when its internals are not as expected. */
    static RawFrameWriter create() {
        try {
            Class<?> remote = Class.forName("org.glassfish.tyrus.core.TyrusRemoteEndpoint");
            Field field = remote.getDeclaredField("webSocket");
            field.setAccessible(true);
            Method send = field.getType().getMethod("sendRawFrame", ByteBuffer.class);
            return new TyrusRawFrames(field, send);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Tyrus internals not as expected; broadcasts use the portable API", e);
            return NONE;
        }
    }

    @Override
    public Target target(Session session) {
        Object socket;
        try {
            socket = socketField.get(session.getAsyncRemote());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return frame -> {
            try {
                sendRawFrame.invoke(socket, frame);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("raw frame write failed", e);
            }
        };
    }
}
