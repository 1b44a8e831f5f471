package dev.parley.demo;

import dev.parley.engine.EngineServer;
import dev.parley.engine.EngineStats;
import dev.parley.jakarta.OnConnect;
import dev.parley.jakarta.SocketNamespace;
import dev.parley.server.Namespace;
import dev.parley.server.ParleyServer;
import dev.parley.server.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live dashboard behind {@code webapp/dashboard.html}: once a second, on Parley's own timer, every
 * socket in {@code /dashboard} gets a {@code metrics} snapshot read from the server's plain counters (no
 * Micrometer needed): sessions by transport, Engine.IO packets in and out per second (every packet, pings
 * included), rooms, Socket.IO connects, and the p99 delivery latency. That latency is measured by the
 * server: each second it sends each dashboard socket a {@code probe} with an acknowledgement and times the
 * round trip until the ack arrives; the p99 is over the last {@value #WINDOW} round trips. The timer starts
 * with the first dashboard connection and stops with the server.
 */
@SocketNamespace("/dashboard")
public class DashboardNamespace {

    /** How many probe round trips the p99 is computed over. */
    static final int WINDOW = 200;
    private static final long PERIOD_MILLIS = 1000;

    private final AtomicBoolean started = new AtomicBoolean();
    private final long[] roundTrips = new long[WINDOW];
    private int samples;
    private long lastIn = -1;
    private long lastOut = -1;
    private long lastAt;

    @OnConnect
    public void connected(Socket socket) {
        if (started.compareAndSet(false, true)) {
            ParleyServer server = socket.namespace().server();
            server.engine().schedule(() -> tick(server, socket.namespace()), 0);
        }
    }

    private void tick(ParleyServer server, Namespace dashboard) {
        if (server.state() != ParleyServer.State.RUNNING) {
            return;
        }
        try {
            dashboard.emit("metrics", snapshot(server));
            for (Socket s : dashboard.localSockets()) {
                long sent = System.nanoTime();
                s.emitWithAck(Duration.ofSeconds(5), "probe", System.currentTimeMillis())
                        .thenRun(() -> record(System.nanoTime() - sent));
            }
            server.engine().schedule(() -> tick(server, dashboard), PERIOD_MILLIS);
        } catch (RejectedExecutionException stopping) {
            // the server's timer is shut down: so is the dashboard
        }
    }

    private synchronized void record(long nanos) {
        roundTrips[samples++ % WINDOW] = nanos;
    }

    private synchronized Double p99Millis() {
        int n = Math.min(samples, WINDOW);
        if (n == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(roundTrips, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(0.99 * n) - 1;
        return sorted[rank] / 1_000_000.0;
    }

    private synchronized Map<String, Object> snapshot(ParleyServer server) {
        EngineServer engine = server.engine();
        EngineStats stats = engine.stats();
        long now = System.currentTimeMillis();
        long in = stats.packetsIn();
        long out = stats.packetsOut();
        double seconds = lastIn < 0 ? 0 : Math.max(1, now - lastAt) / 1000.0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", now);
        m.put("websocket", engine.sessionsOn("websocket"));
        m.put("polling", engine.sessionsOn("polling"));
        m.put("inPerSecond", seconds == 0 ? 0 : Math.round((in - lastIn) / seconds));
        m.put("outPerSecond", seconds == 0 ? 0 : Math.round((out - lastOut) / seconds));
        m.put("rooms", server.roomCount());
        m.put("connects", server.stats().connects());
        Double p99 = p99Millis();
        m.put("p99Millis", p99 == null ? -1 : Math.round(p99 * 10) / 10.0);
        lastIn = in;
        lastOut = out;
        lastAt = now;
        return m;
    }
}
