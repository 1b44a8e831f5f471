package dev.parley.bench;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.tyrus.core.TyrusSession;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * The floor of the Tyrus stack: a plain Tyrus 2.1.6 endpoint on Grizzly 4.0.2 that speaks only the
 * part of Engine.IO v4 / Socket.IO v5 over WebSocket the load generator needs (open packet,
 * namespace connect, server pings, {@code echo} acks, {@code bench} broadcasts to every connected
 * client). No polling, no binary, no parser beyond prefix checks: what Parley adds on top of Tyrus
 * is measured against this.
 *
 * <p>Broadcasts encode the frame once for all members with {@link TyrusSession#broadcast(String)};
 * {@code --per-session} sends through each member's {@code getAsyncRemote().sendText} instead.
 *
 * <p>Run: {@code java -cp parley-bench-peers.jar dev.parley.bench.RawTyrusPeer --host 127.0.0.1 --port 3403 [--per-session]}.
 */
public final class RawTyrusPeer {

    private static final String PATH = "/socket.io/";
    private static final int MAX_PAYLOAD = 1_000_000;
    private static final long PING_INTERVAL_MS = 25_000;
    private static final String OPEN_SUFFIX = "\",\"upgrades\":[],\"pingInterval\":" + PING_INTERVAL_MS
            + ",\"pingTimeout\":20000,\"maxPayload\":" + MAX_PAYLOAD + "}";

    private RawTyrusPeer() {
    }

    public static void main(String[] argv) throws IOException, DeploymentException, InterruptedException {
        PeerArgs args = PeerArgs.parse(argv, 3403);

        EmbeddedContainer tyrus = new EmbeddedContainer();
        SocketIoEndpoint endpoint = new SocketIoEndpoint(args.perSession());
        tyrus.register(ServerEndpointConfig.Builder.create(SocketIoEndpoint.class, PATH)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(endpoint); // one shared instance holds the room; per-connection state is in the Session
                    }
                })
                .build());

        // Our own listener rather than Tyrus's Server class, which binds 0.0.0.0 whatever host it is given.
        HttpServer http = new HttpServer();
        NetworkListener listener = new NetworkListener("peer", args.host(), args.port());
        // Liveness is the Engine.IO heartbeat's job; Grizzly's idle timeout would cut idle WebSockets after 40 s.
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
        listener.registerAddOn(webSocketAddOn(tyrus));
        http.addListener(listener);
        http.start();
        tyrus.start("", listener.getPort());

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tyrus.stop();
            http.shutdownNow();
        }, "peer-shutdown"));
        System.out.println("raw Tyrus peer (" + (args.perSession() ? "per-session sends" : "TyrusSession.broadcast")
                + ") listening on " + args.host() + ":" + listener.getPort());
        // Grizzly's threads are daemons: without this the JVM would exit here. SIGTERM runs the hook above.
        Thread.currentThread().join();
    }

    /**
     * Tyrus's Grizzly {@code WebSocketAddOn} routes upgrade requests on a Grizzly listener to a Tyrus
     * engine; its constructor is package-private, hence reflection.
     */
    private static AddOn webSocketAddOn(ServerContainer container) {
        String name = "org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn";
        try {
            Constructor<?> ctor = Class.forName(name).getDeclaredConstructor(ServerContainer.class, String.class);
            ctor.setAccessible(true);
            return (AddOn) ctor.newInstance(container, "");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + " is not as expected in this Tyrus version", e);
        }
    }

    /** A Tyrus container that starts no server of its own: its engine is plugged into our listener. */
    private static final class EmbeddedContainer extends TyrusServerContainer {

        private final TyrusWebSocketEngine engine;

        EmbeddedContainer() {
            super(Set.<Class<?>>of());
            this.engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(MAX_PAYLOAD).build();
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, "");
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, "");
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }

        @Override
        public Map<String, Object> getProperties() {
            return Map.of();
        }
    }

    /** The minimal EIO4/SIO5 endpoint; one instance serves every connection. */
    public static final class SocketIoEndpoint extends Endpoint {

        private static final String PING_TASK = "peer.ping";

        private final boolean perSession;
        /** Sessions that sent the namespace connect {@code 40}: the room {@code bench}. */
        private final Set<Session> room = ConcurrentHashMap.newKeySet();
        /** Open WebSocket sessions: when it equals the room's size, the endpoint-wide broadcast is exact. */
        private final AtomicInteger open = new AtomicInteger();
        /** One thread pings every session, each on its own 25 s schedule from its open. */
        private final ScheduledExecutorService pinger;

        SocketIoEndpoint(boolean perSession) {
            this.perSession = perSession;
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "peer-ping");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true); // closed sessions' tasks must not pile up in the queue
            this.pinger = Executors.unconfigurableScheduledExecutorService(executor);
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            open.incrementAndGet();
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> onText(session, text));
            session.getAsyncRemote().sendText("0{\"sid\":\"" + sid() + OPEN_SUFFIX);
            ScheduledFuture<?> ping = pinger.scheduleAtFixedRate(() -> session.getAsyncRemote().sendText("2"),
                    PING_INTERVAL_MS, PING_INTERVAL_MS, TimeUnit.MILLISECONDS);
            session.getUserProperties().put(PING_TASK, ping);
        }

        private void onText(Session session, String text) {
            if (text.startsWith("42[\"bench\"")) {
                broadcast(session, text); // the same packet, argument(s) untouched
            } else if (text.startsWith("42")) {
                // 42<id>["echo",X] -> 43<id>[X]; anything else (no ack id, other events) is ignored
                int bracket = text.indexOf('[', 2);
                if (bracket > 2 && text.startsWith("[\"echo\",", bracket) && text.endsWith("]")) {
                    String id = text.substring(2, bracket);
                    String arg = text.substring(bracket + "[\"echo\",".length(), text.length() - 1);
                    session.getAsyncRemote().sendText("43" + id + "[" + arg + "]");
                }
            } else if (text.startsWith("40")) {
                room.add(session);
                session.getAsyncRemote().sendText("40{\"sid\":\"" + sid() + "\"}");
            } else if (text.startsWith("41")) {
                room.remove(session);
            }
            // "3" (pong) is ignored: this peer does not enforce pingTimeout.
        }

        private void broadcast(Session from, String text) {
            // TyrusSession.broadcast goes to every open session of this endpoint, not to a room: use it only
            // while every open session has joined (always so during a fan-out run, which publishes only after
            // each client's echo round trip), otherwise send to the room members one by one.
            if (!perSession && room.size() == open.get()) {
                ((TyrusSession) from).broadcast(text);
            } else {
                for (Session member : room) {
                    member.getAsyncRemote().sendText(text);
                }
            }
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            room.remove(session);
            open.decrementAndGet();
            Object ping = session.getUserProperties().get(PING_TASK);
            if (ping instanceof ScheduledFuture<?> f) {
                f.cancel(false);
            }
        }

        @Override
        public void onError(Session session, Throwable error) {
            // A reset connection is routine under load; Tyrus closes the session and onClose cleans up.
        }

        private static String sid() {
            byte[] bytes = new byte[15];
            ThreadLocalRandom.current().nextBytes(bytes); // a benchmark id, not a secret
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }
}
