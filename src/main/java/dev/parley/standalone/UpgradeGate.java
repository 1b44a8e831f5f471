package dev.parley.standalone;

import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineServer;
import dev.parley.engine.Verdict;
import dev.parley.transport.websocket.UpgradeHandOver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.Filter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.FilterChainEvent;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.Buffers;

/**
 * The standalone server's answer to refused WebSocket upgrades, as a Grizzly {@link AddOn}
 * registered after Tyrus's: it wraps Tyrus's filter so that an upgrade request at a mounted engine's
 * path gets the engine's {@link Verdict} first. One that is not allowed is answered with its HTTP
 * status (403 origin, 401/403 authentication, 429/503 limits, 400 protocol) and the same JSON body
 * as polling, then the connection is closed, and Tyrus never sees it; an allowed one goes on to
 * Tyrus with the verdict handed to the endpoint's configurator ({@link UpgradeHandOver}), which
 * runs on this thread, inside Tyrus's {@code handleRead}, and kept there for the endpoint, whose
 * {@code onOpen} Tyrus runs inside the same call ({@link UpgradeHandOver#offerUntilOpen}). Wrapping, not a filter of its own ahead
 * of Tyrus's, because the hand-over must end when Tyrus's handshake returns (a slot Tyrus did not
 * take, e.g. on a bad {@code Sec-WebSocket-Version}, is released then), and only a wrapper sees that.
 *
 * <p>Grizzly routes upgrades to Tyrus before any servlet, so the servlet {@code UpgradeFilter} of a
 * WAR cannot do this here. Fails at start-up if Tyrus's filter is not where its add-on puts it.
 */
final class UpgradeGate implements AddOn {

    private static final String TYRUS_FILTER = "org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter";

    /** Set once a connection's upgrade request was judged: the same request header comes with every frame. */
    private static final Attribute<Boolean> JUDGED =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(UpgradeGate.class.getName() + ".judged");

    private final Map<String, EngineServer> engines = new LinkedHashMap<>();
    private final UpgradedReads upgradedReads;
    /** The last local address an upgrade came in on, shared by the Tyrus sessions (see forTyrus). */
    private volatile String localAddress;

    /**
     * @param engines the mounted engines; each judges the upgrades at its path
     * @param upgradedReads told of each upgrade Tyrus accepted, so the HTTP exchange is let go
     */
    UpgradeGate(List<EngineServer> engines, UpgradedReads upgradedReads) {
        this.upgradedReads = upgradedReads;
        for (EngineServer e : engines) {
            this.engines.putIfAbsent(e.options().path(), e);
        }
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int http = builder.indexOfType(HttpServerFilter.class);
        Filter tyrus = http > 0 ? builder.get(http - 1) : null;
        if (tyrus == null || !tyrus.getClass().getName().equals(TYRUS_FILTER)) {
            throw new IllegalStateException("Tyrus's Grizzly filter is not before HttpServerFilter: " + builder);
        }
        builder.set(http - 1, new Gate(tyrus));
    }

    /** Tyrus's filter with the verdict in front of its handshake; everything else delegated as is. */
    private final class Gate implements Filter {

        private final Filter tyrus;

        Gate(Filter tyrus) {
            this.tyrus = tyrus;
        }

        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            if (!(ctx.getMessage() instanceof HttpContent content)
                    || !(content.getHttpHeader() instanceof HttpRequestPacket request)) {
                return tyrus.handleRead(ctx);
            }
            if (!"websocket".equalsIgnoreCase(request.getUpgrade())) {
                if (request.isUpgrade()) {
                    servedAsPlainHttp(request);
                }
                return tyrus.handleRead(ctx);
            }
            Connection<?> connection = ctx.getConnection();
            EngineServer engine = engines.get(request.getRequestURI());
            if (engine == null || JUDGED.isSet(connection)) {
                return tyrus.handleRead(ctx);
            }
            JUDGED.set(connection, Boolean.TRUE);
            EngineRequest upgrade = requestOf(request, connection);
            Verdict verdict = engine.admit(upgrade, true);
            if (!verdict.allowed()) {
                refuse(ctx, request, verdict);
                content.recycle();
                return ctx.getStopAction();
            }
            forTyrus(request, engine.options().path(), upgrade.remoteAddress());
            NextAction next;
            try (UpgradeHandOver.Offer offer = UpgradeHandOver.offerUntilOpen(engine, upgrade, verdict)) {
                next = tyrus.handleRead(ctx);
            }
            if (request.getResponse().getStatus() == 101) {
                upgradedReads.upgraded(connection);
            }
            return next;
        }

        @Override
        public NextAction handleWrite(FilterChainContext ctx) throws IOException {
            return tyrus.handleWrite(ctx);
        }

        @Override
        public NextAction handleConnect(FilterChainContext ctx) throws IOException {
            return tyrus.handleConnect(ctx);
        }

        @Override
        public NextAction handleAccept(FilterChainContext ctx) throws IOException {
            return tyrus.handleAccept(ctx);
        }

        @Override
        public NextAction handleEvent(FilterChainContext ctx, FilterChainEvent event) throws IOException {
            return tyrus.handleEvent(ctx, event);
        }

        @Override
        public NextAction handleClose(FilterChainContext ctx) throws IOException {
            return tyrus.handleClose(ctx);
        }

        @Override
        public void exceptionOccurred(FilterChainContext ctx, Throwable error) {
            tyrus.exceptionOccurred(ctx, error);
        }

        @Override
        public void onAdded(FilterChain chain) {
            tyrus.onAdded(chain);
        }

        @Override
        public void onRemoved(FilterChain chain) {
            tyrus.onRemoved(chain);
        }

        @Override
        public void onFilterChainChanged(FilterChain chain) {
            tyrus.onFilterChainChanged(chain);
        }
    }

    /**
     * Leaves Tyrus only what it needs of an allowed upgrade: the path, as the engine's own string.
     * Tyrus copies the request's query into its session for the connection's whole life (its query
     * string, its URI, the parameters twice over: as the parameter map and as "path parameters"),
     * some 600 bytes per idle WebSocket, and a URI string of its own. Parley's endpoint reads none of
     * it: the engine judged the request already and hands its {@link EngineRequest} over
     * ({@link UpgradeHandOver}), which is what the session, {@code socket.handshake} and middleware
     * see. Given the path alone, every Tyrus session shares one path string and holds empty maps.
     * Only for requests this gate let through (the engine found by that exact path), and after
     * {@link #requestOf} read the query.
     *
     * <p>Tyrus's session also keeps the peer's and the server's address as strings, which Grizzly's
     * request makes anew for each connection (56 bytes each for an IPv4 address): the request is given
     * the engine request's shared copy of the peer's address and one copy of the server's, equal
     * strings that Tyrus then keeps instead.
     */
    private void forTyrus(HttpRequestPacket request, String path, String remoteAddress) {
        request.getQueryStringDC().recycle();
        request.setRequestURI(path);
        if (remoteAddress != null && remoteAddress.equals(request.getRemoteAddress())) {
            request.remoteAddr().setString(remoteAddress);
        }
        String local = request.getLocalAddress();
        String shared = localAddress;
        if (local != null && !local.equals(shared)) {
            // Racy on purpose: a listener has one or a few local addresses, any equal copy will do.
            localAddress = shared = local;
        }
        if (local != null) {
            request.localAddr().setString(shared);
        }
    }

    /**
     * A request asking for another protocol than WebSocket ({@code Upgrade: h2c}, which the JDK's
     * HttpClient sends with every plain-HTTP request by default) is answered as plain HTTP, so its
     * response must keep its headers. Grizzly's codec marks every request with an {@code Upgrade}
     * header to leave the response's content modifiers out (Content-Type among them) and lifts that
     * only once the servlet has returned: a response small enough to wait for that kept its type, one
     * committed during the servlet (a body past the output buffer, e.g. the Admin UI's 90 KB script)
     * went without. Lifted here, before any servlet runs.
     */
    private static void servedAsPlainHttp(HttpRequestPacket request) {
        request.setIgnoreContentModifiers(false);
    }

    /** Writes the refusal, then closes: the connection asked to leave HTTP and does not come back. */
    private static void refuse(FilterChainContext ctx, HttpRequestPacket request, Verdict verdict) {
        byte[] body = verdict.json().getBytes(StandardCharsets.UTF_8);
        HttpResponsePacket response = request.getResponse();
        response.setProtocol(Protocol.HTTP_1_1);
        response.setStatus(verdict.httpStatus());
        response.setReasonPhrase(reason(verdict.httpStatus()));
        // Into the header map itself: Grizzly leaves the content modifiers of an upgrade's response
        // alone, so a type given with setContentType (or setHeader, which routes to it) is not written.
        response.getHeaders().setValue("Content-Type").setString("application/json");
        response.setContentLength(body.length);
        response.setHeader("Connection", "close");
        Connection<?> connection = ctx.getConnection();
        HttpContent answer = HttpContent.builder(response)
                .content(Buffers.wrap(connection.getMemoryManager(), body)).last(true).build();
        ctx.write(answer, new EmptyCompletionHandler<WriteResult>() {
            @Override
            public void completed(WriteResult result) {
                connection.closeSilently();
            }

            @Override
            public void failed(Throwable error) {
                connection.closeSilently();
            }
        });
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }

    private static EngineRequest requestOf(HttpRequestPacket request, Connection<?> connection) {
        String raw = request.getQueryString();
        String uri = request.getRequestURI();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : request.getHeaders().names()) {
            List<String> values = new ArrayList<>();
            request.getHeaders().values(name).forEach(values::add);
            headers.put(name, values);
        }
        String address = request.getRemoteAddress();
        if (address == null && connection.getPeerAddress() instanceof InetSocketAddress peer
                && peer.getAddress() != null) {
            address = peer.getAddress().getHostAddress();
        }
        return new EngineRequest(request.getMethod().getMethodString(), raw == null ? uri : uri + "?" + raw,
                EngineRequest.parseQuery(raw), headers, address, request.isSecure());
    }
}
