package dev.parley.bench.jmh;

import dev.parley.engine.Delivery;
import dev.parley.engine.EngineRequest;
import dev.parley.engine.EngineSession;
import dev.parley.engine.Transport;
import dev.parley.engine.Verdict;
import dev.parley.protocol.engineio.EncodedPacket;
import dev.parley.protocol.engineio.EnginePacket;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parley's own share of one connection, without any network or container: what the load
 * generator's {@code connect} scenario makes the server do per client, in the order a WebSocket
 * transport does it. The upgrade request's headers as a container hands them over (a browser's
 * set) become an {@link EngineRequest}; the engine admits it and opens a session (sid, open
 * packet, heartbeat timer); the Socket.IO {@code 40} CONNECT makes a socket (id, own room, the
 * benchmark contract's join of room {@code bench}, the CONNECT reply); the client's
 * {@code 421["echo",1]} is acknowledged; the connection closes (disconnect, rooms left, slot
 * given back). The transport only counts what it is given.
 *
 * <p>Compare with the {@code connect} scenario's server CPU per connection ({@code src/bench/run.sh}):
 * the rest is the container's (HTTP parsing, the upgrade, the WebSocket endpoint, the selector).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ConnectPathBenchmark {

    private static final String URL = "/socket.io/?EIO=4&transport=websocket";

    private ParleyServer parley;
    private CountingTransport transport;
    private Map<String, List<String>> headers;

    @Setup
    public void setup() {
        parley = new ParleyServer(ParleyOptions.defaults());
        parley.onConnection(socket -> {
            socket.join("bench");
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
        });
        transport = new CountingTransport();
        headers = new LinkedHashMap<>();
        headers.put("Host", List.of("127.0.0.1:18080"));
        headers.put("Connection", List.of("Upgrade"));
        headers.put("Pragma", List.of("no-cache"));
        headers.put("Cache-Control", List.of("no-cache"));
        headers.put("User-Agent", List.of("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                + "Chrome/131.0.0.0 Safari/537.36"));
        headers.put("Upgrade", List.of("websocket"));
        headers.put("Origin", List.of("http://127.0.0.1:18080"));
        headers.put("Sec-WebSocket-Version", List.of("13"));
        headers.put("Accept-Encoding", List.of("gzip, deflate, br, zstd"));
        headers.put("Accept-Language", List.of("en-US,en;q=0.9"));
        headers.put("Sec-WebSocket-Key", List.of("dGhlIHNhbXBsZSBub25jZQ=="));
        headers.put("Sec-WebSocket-Extensions", List.of("permessage-deflate; client_max_window_bits"));

        transport.record = true;
        connect();
        List<String> texts = transport.texts;
        if (texts.size() != 3 || !texts.get(0).startsWith("0{\"sid\":") || !texts.get(1).startsWith("40{\"sid\":")
                || !texts.get(2).equals("431[1]") || parley.engine().sessionCount() != 0
                || parley.engine().admittedCount() != 0) {
            throw new IllegalStateException("the connection did not go as a client's would: " + texts);
        }
        transport.record = false;
    }

    @TearDown
    public void close() {
        parley.close();
    }

    @Benchmark
    public int connect() {
        EngineRequest request = new EngineRequest("GET", URL,
                EngineRequest.parseQuery("EIO=4&transport=websocket"), headers, "127.0.0.1", false);
        Verdict verdict = parley.engine().admit(request, true);
        if (!(verdict instanceof Verdict.Admitted admitted)) {
            throw new IllegalStateException("refused: " + verdict);
        }
        EngineSession session = parley.engine().handshake(request, transport, admitted.admission());
        session.onPacket(transport, EnginePacket.message("0"));
        session.onPacket(transport, EnginePacket.message("21[\"echo\",1]"));
        session.onTransportClose(transport, "client gone");
        return transport.packets;
    }

    /** A WebSocket transport that frames what it is given and keeps a count (and, once, the texts to check). */
    static final class CountingTransport implements Transport {
        int packets;
        boolean record;
        final List<String> texts = new ArrayList<>();

        @Override
        public String name() {
            return "websocket";
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void send(List<EncodedPacket> sent, Delivery delivery) {
            for (EncodedPacket p : sent) {
                packets += p.webSocketFrame().length > 0 ? 1 : 0; // framed, as the WebSocket transport does
                if (record) {
                    texts.add(p.text());
                }
            }
        }

        @Override
        public void close(boolean sendClosePacket) {
        }
    }
}
