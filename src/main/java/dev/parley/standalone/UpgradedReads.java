package dev.parley.standalone;

import java.io.IOException;
import java.lang.reflect.Field;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Frees what the WebSocket upgrade's HTTP exchange holds once it is over, as a Grizzly
 * {@link AddOn}: after the 101, the connection's bytes go straight to Tyrus's filter instead of
 * through Grizzly's HTTP codec, and the codec forgets the upgrade request. It adds no filter:
 * {@link RawReads}, right before the codec, hands an upgraded connection's reads to {@link #toTyrus}.
 *
 * <p>Why: Grizzly keeps an upgraded connection's request "in process" for the connection's whole
 * life, because each later read is handed to Tyrus as content of that request. That request
 * carries its response, three header maps, some 33 chunk objects ({@code DataChunk}s with their
 * byte, char and buffer chunks) and the header bytes: about 10 KiB of heap per idle WebSocket,
 * half of what one cost. Tyrus needs none of it after the handshake (it looks at its own
 * connection attribute first and reads only the content), so {@link #upgraded} drops the
 * codec's reference and {@link #toTyrus} hands each later read to Tyrus wrapped in a header-less
 * {@link HttpContent}. Writes are untouched (Tyrus writes bytes, which the codec passes through).
 *
 * <p>The request is not merely dropped: it goes back to Grizzly's per-thread pool, as the request
 * of a finished HTTP exchange does, so the next request read on that thread (most likely the next
 * upgrade) reuses its chunks instead of allocating some 10 KiB again. Safe because by then Tyrus
 * has copied what it keeps (URI, query, headers, addresses) into its own objects, Parley's
 * {@code EngineRequest} holds strings, and the 101 was encoded into bytes before its write
 * returned; nothing refers to the packet after {@link #upgraded} but the finished read's message.
 *
 * <p>Register it after {@link UpgradeGate}, whose gate calls {@link #upgraded} and wraps the Tyrus
 * filter this hands reads to, and before {@link ConnectionGuards}, whose {@link RawReads} calls
 * {@link #toTyrus}. The codec's attribute is private in Grizzly, hence reflection, checked at
 * start-up with a clear error like {@link GrizzlyTyrusBridge}.
 */
final class UpgradedReads implements AddOn {

    private static final Class<?> CODEC = org.glassfish.grizzly.http.HttpServerFilter.class;
    private static final String REQUEST_IN_PROCESS = "httpRequestInProcessAttr";

    /** The codec's per-connection "request in process" (one listener, one codec). */
    private volatile Attribute<?> requestInProcess;
    /** Tyrus's filter (within UpgradeGate's gate), which reads an upgraded connection's bytes. */
    private volatile Filter tyrus;

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int codec = builder.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class);
        int server = builder.indexOfType(HttpServerFilter.class);
        if (codec < 0 || server <= codec + 1) {
            throw new IllegalStateException("Grizzly's HTTP filter chain is not as expected: " + builder);
        }
        // Tyrus's filter (within UpgradeGate's gate) is the one right before Grizzly's HTTP server filter.
        tyrus = builder.get(server - 1);
        requestInProcess = requestInProcessOf(builder.get(codec));
    }

    /**
     * The connection was upgraded (its 101 is written and Tyrus holds it): the codec lets go of
     * the upgrade request (the connection's later reads skip the codec: {@link #toTyrus}). Call
     * on the reading thread, before the read that carried the upgrade request returns.
     */
    void upgraded(Connection<?> connection) {
        if (requestInProcess.remove(connection) instanceof HttpRequestPacket request) {
            recycle(request);
        }
    }

    /**
     * Hands the upgrade request and its response back to Grizzly's pools. An upgrade request
     * "expects content" (the WebSocket's bytes), and a packet that does refuses to be recycled:
     * that expectation ended with the bypass, so it is cleared first. The response goes first,
     * as Grizzly's own server does it: it asks its request whether content is still expected.
     */
    private static void recycle(HttpRequestPacket request) {
        request.setExpectContent(false);
        HttpResponsePacket response = request.getResponse();
        if (response != null) {
            response.recycle();
        }
        request.recycle();
    }

    /** Whether the HTTP codec still holds a request for this connection (for tests). */
    boolean holdsRequest(Connection<?> connection) {
        return requestInProcess.isSet(connection);
    }

    private static Attribute<?> requestInProcessOf(Filter codec) {
        try {
            Field field = CODEC.getDeclaredField(REQUEST_IN_PROCESS);
            field.setAccessible(true);
            return (Attribute<?>) field.get(codec);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach Grizzly's " + CODEC.getName() + "." + REQUEST_IN_PROCESS
                    + " (not as expected in this Grizzly version)", e);
        }
    }

    /**
     * Hands a read of an upgraded connection (raw bytes, before the HTTP codec) to Tyrus directly,
     * as the codec would hand it on minus the request Tyrus ignores; returns the filter's next action.
     */
    NextAction toTyrus(FilterChainContext ctx) throws IOException {
        if (!(ctx.getMessage() instanceof Buffer bytes)) {
            return ctx.getInvokeAction();
        }
        if (!ctx.getConnection().isOpen()) {
            bytes.tryDispose(); // closing: Tyrus has let go of the connection, nobody reads these
            return ctx.getStopAction();
        }
        ctx.setMessage(HttpContent.create(null, false, bytes));
        return tyrus.handleRead(ctx);
    }
}
