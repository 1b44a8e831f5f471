package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.socketio.Args;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.standalone.StandaloneServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client's listener API as socket.io-client's {@code Socket}: once, off, catch-all incoming and
 * outgoing listeners, the default ack timeout; against a real standalone Parley.
 */
class ParleyClientListenerTest {

    private static ParleyServer parley;
    private static StandaloneServer server;
    private static URI uri;

    @BeforeAll
    static void start() throws Exception {
        parley = new ParleyServer(ParleyOptions.builder().build());
        parley.onConnection(socket -> {
            // emits "tick" 0..n-1 then "done"
            socket.on("burst", (args, ack) -> {
                for (int i = 0; i < args.getInt(0); i++) {
                    socket.emit("tick", i);
                }
                socket.emit("done");
            });
            socket.on("ack", (args, ack) -> ack.send(args.toArray()));
            socket.on("silent", (args, ack) -> { });
            socket.on("message", (args, ack) -> socket.emit("message", args.toArray()));
        });
        server = StandaloneServer.start("127.0.0.1", 0, List.of(new StandaloneServer.Mount(parley.engine(), false)),
                false);
        uri = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        parley.close();
        server.close();
    }

    @Test
    void onceRunsForOneEventAndOffRemovesListeners() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            List<String> seen = new CopyOnWriteArrayList<>();
            ClientSocket.Listener removed = (args, reply) -> seen.add("removed" + args.getInt(0));
            ClientSocket.Listener onceRemoved = (args, reply) -> seen.add("onceRemoved" + args.getInt(0));
            socket.on("tick", (args, reply) -> seen.add("all" + args.getInt(0)));
            socket.once("tick", (args, reply) -> seen.add("once" + args.getInt(0)));
            socket.on("tick", removed).off("tick", removed);
            socket.once("tick", onceRemoved).off("tick", onceRemoved);
            CompletableFuture<Void> done = new CompletableFuture<>();
            socket.once("done", (args, reply) -> done.complete(null));
            socket.emit("burst", 3);
            done.get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("all0", "once0", "all1", "all2");

            // off(event): none of the event's listeners; off(): none at all
            seen.clear();
            socket.off("tick");
            CompletableFuture<Void> done2 = new CompletableFuture<>();
            socket.on("done", (args, reply) -> done2.complete(null));
            socket.emit("burst", 2);
            done2.get(5, TimeUnit.SECONDS);
            assertThat(seen).isEmpty();

            socket.off();
            socket.on("tick", (args, reply) -> seen.add("new" + args.getInt(0)));
            CompletableFuture<Void> done3 = new CompletableFuture<>();
            socket.once("done", (args, reply) -> done3.complete(null));
            socket.emit("burst", 1);
            done3.get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("new0"); // the earlier "done" listener is gone with off()
        }
    }

    @Test
    void catchAllListenersSeeEveryEventBeforeItsOwnListeners() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            List<String> seen = new CopyOnWriteArrayList<>();
            ClientSocket.AnyListener any = (event, args) -> seen.add("any:" + event + args.asList());
            ClientSocket socket = client.socket("/", null, s -> s
                    .onAny(any)
                    .prependAny((event, args) -> seen.add("first:" + event))
                    .on("tick", (args, reply) -> seen.add("tick" + args.getInt(0))));
            socket.connected().get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> done = new CompletableFuture<>();
            socket.once("done", (args, reply) -> done.complete(null));
            socket.emit("burst", 1);
            done.get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("first:tick", "any:tick[0]", "tick0", "first:done", "any:done[]");

            // an ack is not an event: no catch-all sees it
            seen.clear();
            socket.offAny(any);
            assertThat(socket.emitWithAck(Duration.ofSeconds(5), "ack", "x").get(5, TimeUnit.SECONDS).getString(0))
                    .isEqualTo("x");
            assertThat(seen).isEmpty();
            CompletableFuture<Void> done2 = new CompletableFuture<>();
            socket.once("done", (args, reply) -> done2.complete(null));
            socket.emit("burst", 0);
            done2.get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("first:done");
            socket.offAny();
        }
    }

    @Test
    void outgoingCatchAllIsToldWhenAnEmitIsWrittenIncludingBufferedOnes() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            List<String> seen = new CopyOnWriteArrayList<>();
            List<byte[]> bytes = new CopyOnWriteArrayList<>();
            ClientSocket.AnyListener out = (event, args) -> {
                seen.add("out:" + event + "/" + args.size());
                if (event.equals("early")) {
                    bytes.add(args.getBytes(1));
                }
            };
            ClientSocket socket = client.socket("/", null, s -> {
                s.onAnyOutgoing(out)
                        .prependAnyOutgoing((event, args) -> seen.add("first:" + event))
                        .onConnect(() -> seen.add("connect"));
                // emitted before the CONNECT goes out: buffered, written (and reported) at the server's answer
                s.emit("early", 1, new byte[] {7});
            });
            socket.connected().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("connect"));
            socket.emitWithAck(Duration.ofSeconds(5), "ack", "late").get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("first:early", "out:early/2", "connect", "first:ack", "out:ack/1");
            assertThat(bytes).singleElement().satisfies(b -> assertThat(b).containsExactly(7));

            seen.clear();
            socket.offAnyOutgoing(out);
            socket.emitWithAck(Duration.ofSeconds(5), "ack", "again").get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("first:ack");
            socket.offAnyOutgoing();
            socket.emitWithAck(Duration.ofSeconds(5), "ack", "more").get(5, TimeUnit.SECONDS);
            assertThat(seen).containsExactly("first:ack");
        }
    }

    @Test
    void sendEmitsAMessageEvent() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            CompletableFuture<Args> message = new CompletableFuture<>();
            ClientSocket socket = client.socket("/", null,
                    s -> s.on("message", (args, reply) -> message.complete(args)));
            socket.connected().get(5, TimeUnit.SECONDS);
            socket.send("hi", 2);
            Args args = message.get(5, TimeUnit.SECONDS);
            assertThat(args.getString(0)).isEqualTo("hi");
            assertThat(args.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void emitWithAckWithoutATimeoutUsesTheOptionsAckTimeout() throws Exception {
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults().ackTimeout(300))) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            assertThat(socket.emitWithAck("ack", 42).get(5, TimeUnit.SECONDS).getInt(0)).isEqualTo(42);
            long start = System.nanoTime();
            CompletableFuture<Args> silent = socket.emitWithAck("silent");
            assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
        try (ParleyClient client = ParleyClient.connect(uri, ClientOptions.defaults())) {
            ClientSocket socket = client.socket("/", null);
            socket.connected().get(5, TimeUnit.SECONDS);
            // no ackTimeout: no limit; the future stays pending past any short delay, then fails with the close
            CompletableFuture<Args> silent = socket.emitWithAck("silent");
            assertThat(socket.emitWithAck("ack", "after").get(5, TimeUnit.SECONDS).getString(0)).isEqualTo("after");
            assertThat(silent).isNotDone();
            client.close();
            assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }
}
