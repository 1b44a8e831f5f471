package dev.parley.standalone;

import java.io.IOException;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;

/**
 * The standalone server's one Grizzly filter on raw bytes, right before the HTTP codec (after a
 * TLS filter if there is one). While a connection speaks HTTP it tells {@link HttpTimeouts} what
 * the wire does (opened, bytes arrived, closed) and hands the bytes on to the codec. Once it is a
 * WebSocket (its 101 went out: {@link WebSocketFrameLimit#watches}), each read is held to the
 * frame limit and what passes goes to Tyrus past the codec ({@link UpgradedReads#toTyrus}).
 *
 * <p>One filter for the three jobs, not one each, because Grizzly keeps per-connection state for
 * every filter of the chain (an array slot per filter and operation: 7 × 4 bytes a filter); the
 * jobs themselves stay in their own classes.
 */
final class RawReads extends BaseFilter {

    private final HttpTimeouts timeouts;
    private final WebSocketFrameLimit frameLimit;
    /** Where a WebSocket's reads go once within the limit: made once here, not per read. */
    private final WebSocketFrameLimit.Frames toTyrus;

    RawReads(HttpTimeouts timeouts, WebSocketFrameLimit frameLimit, UpgradedReads upgradedReads) {
        this.timeouts = timeouts;
        this.frameLimit = frameLimit;
        this.toTyrus = upgradedReads::toTyrus;
    }

    @Override
    public NextAction handleAccept(FilterChainContext ctx) throws IOException {
        timeouts.opened(ctx.getConnection());
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        Connection<?> connection = ctx.getConnection();
        if (frameLimit.watches(connection)) {
            return frameLimit.read(ctx, toTyrus);
        }
        timeouts.bytesArrived(connection);
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) throws IOException {
        timeouts.closed(ctx.getConnection());
        return ctx.getInvokeAction();
    }
}
