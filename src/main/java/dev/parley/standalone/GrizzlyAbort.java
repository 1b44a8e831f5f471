package dev.parley.standalone;

import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyWriter;
import org.glassfish.tyrus.spi.Writer;

/**
 * Drops a WebSocket's Grizzly connection at once, for the frame writer's slow-reader limit: not
 * Tyrus's {@code Writer.close()}, a graceful close that waits for the writes in flight, which a
 * client that stopped reading never takes, so the session would linger until its ping timeout.
 * Tyrus keeps the connection in a package-private field of its writer, looked up once here.
 */
final class GrizzlyAbort {

    private static final Logger LOG = Logger.getLogger(GrizzlyAbort.class.getName());
    private static final Field CONNECTION = connectionField();

    private GrizzlyAbort() {
    }

    private static Field connectionField() {
        try {
            Field f = GrizzlyWriter.class.getDeclaredField("connection");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Tyrus's Grizzly writer not as expected; slow readers are closed gracefully", e);
            return null;
        }
    }

    /** Terminates the connection under {@code writer}; closes the writer where that is not reachable. */
    static void terminate(Writer writer) {
        try {
            if (CONNECTION != null && writer instanceof GrizzlyWriter
                    && CONNECTION.get(writer) instanceof Connection<?> connection) {
                connection.terminateSilently(); // Tyrus sees the close and ends the session (1006)
                return;
            }
            writer.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "dropping a WebSocket connection", e);
        }
    }
}
