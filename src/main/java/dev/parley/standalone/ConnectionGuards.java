package dev.parley.standalone;

import java.io.IOException;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.FilterChainEvent;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.HttpCodecFilter;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpEvents;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpPacket;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * The standalone server's protection of its connections, as a Grizzly {@link AddOn}: the HTTP
 * timeouts ({@link HttpTimeouts}) and the WebSocket frame limit ({@link WebSocketFrameLimit}),
 * which also routes an upgraded connection's reads past the codec ({@link UpgradedReads}).
 * It replaces Grizzly's {@link IdleTimeoutFilter}, which cannot time HTTP connections right: it
 * counts a fresh connection as busy forever, never sees a request whose headers are incomplete
 * (the HTTP codec before it keeps them), and would cut idle WebSockets as well.
 *
 * <p>Two filters, on either side of the HTTP codec. On raw bytes: {@link RawReads} (opened, bytes
 * arrived, closed; once upgraded, the frame limit and the way to Tyrus). On HTTP messages:
 * {@link ExchangeWatch} (a request's headers complete, its response done, a 101, which ends the
 * timeouts and starts the frame limit). Fails at start-up if Grizzly's chain is not as expected.
 */
final class ConnectionGuards implements AddOn {

    private final HttpTimeouts timeouts;
    private final WebSocketFrameLimit frameLimit;
    private final UpgradedReads upgradedReads;

    /** @param upgradedReads set up already (registered before this add-on): where upgraded reads go */
    ConnectionGuards(HttpTimeouts timeouts, WebSocketFrameLimit frameLimit, UpgradedReads upgradedReads) {
        this.timeouts = timeouts;
        this.frameLimit = frameLimit;
        this.upgradedReads = upgradedReads;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int idle = builder.indexOfType(IdleTimeoutFilter.class);
        int codec = builder.indexOfType(HttpCodecFilter.class);
        int transport = builder.indexOfType(TransportFilter.class);
        if (idle < 0 || codec < 0 || transport < 0 || !(transport < codec && codec < idle)) {
            throw new IllegalStateException("Grizzly's HTTP filter chain is not as expected: " + builder);
        }
        builder.set(idle, new ExchangeWatch());
        // Right before the codec, so after a TLS filter if there is one: it reads plain bytes.
        builder.add(codec, new RawReads(timeouts, frameLimit, upgradedReads));
    }

    /** After the HTTP codec: where the connection is in its requests and responses. */
    private final class ExchangeWatch extends BaseFilter {
        private static final String STARTED = ExchangeWatch.class.getName() + ".started";

        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            if (ctx.getMessage() instanceof HttpContent content
                    && content.getHttpHeader() instanceof HttpRequestPacket request
                    && request.getAttribute(STARTED) == null) {
                // Once per request, not per chunk of its body (a request's attributes end with it).
                request.setAttribute(STARTED, Boolean.TRUE);
                timeouts.requestStarted(ctx.getConnection());
            }
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleWrite(FilterChainContext ctx) throws IOException {
            if (ctx.getMessage() instanceof HttpPacket packet
                    && packet.getHttpHeader() instanceof HttpResponsePacket response) {
                if (response.getStatus() == 101) {
                    timeouts.upgraded(ctx.getConnection());
                    frameLimit.watch(ctx.getConnection());
                } else if (isUpgradeRequest(response.getRequest())) {
                    // An upgrade refused by Tyrus itself: no response-complete event follows its
                    // answer, so each write of it counts as the end (Tyrus writes it at once).
                    timeouts.responseDone(ctx.getConnection());
                }
            }
            return ctx.getInvokeAction();
        }

        @Override
        public NextAction handleEvent(FilterChainContext ctx, FilterChainEvent event) throws IOException {
            if (event.type() == HttpEvents.ResponseCompleteEvent.TYPE) {
                timeouts.responseDone(ctx.getConnection());
            }
            return ctx.getInvokeAction();
        }

        private static boolean isUpgradeRequest(HttpHeader request) {
            return request instanceof HttpRequestPacket r && r.isUpgrade();
        }
    }
}
