package dev.parley.jakarta.it;

import dev.parley.adapter.redis.RedisAdapterFactory;
import dev.parley.adapter.redis.RedisAdapterOptions;
import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import dev.parley.server.RemoteSocket;
import dev.parley.standalone.StandaloneServer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Parley node of the orders application for {@link RedisWarScenario}, run in its own JVM on
 * the standalone jar ({@code java -cp target/parley-standalone.jar:target/test-classes
 * dev.parley.jakarta.it.OrdersNode <redis-url>}): the Redis adapter, namespace {@code /orders} whose
 * sockets join room {@code orders} (as the WAR's {@code OrdersNamespace} does), and an {@code /admin}
 * namespace through which the test asks it for the cluster's view: {@code count} (servers of
 * {@code /orders}), {@code fetch} (its sockets on every node: id, rooms, handshake url), {@code join}
 * (a socket, wherever it is, into a room), {@code emit} (to a room of {@code /orders}). Prints
 * {@code PORT <n>}; exits when its standard input ends.
 */
public final class OrdersNode {

    private OrdersNode() {
    }

    public static void main(String[] args) throws Exception {
        ParleyServer node = new ParleyServer(ParleyOptions.builder()
                .adapterFactory(new RedisAdapterFactory(RedisAdapterOptions.of(args[0]))).build());
        node.of("/orders").onConnection(s -> s.join("orders"));
        node.of("/admin").onConnection(admin -> {
            admin.on("count", (a, ack) -> ack.send(node.of("/orders").serverCount().get(10, TimeUnit.SECONDS)));
            admin.on("fetch", (a, ack) -> {
                List<RemoteSocket> all = node.of("/orders").fetchSockets().get(10, TimeUnit.SECONDS);
                JsonArrayBuilder out = Json.createArrayBuilder();
                for (RemoteSocket s : all) {
                    out.add(Json.createObjectBuilder().add("id", s.id())
                            .add("rooms", Json.createArrayBuilder(s.rooms()))
                            .add("url", s.handshake().getString("url", "")));
                }
                ack.send(out.build());
            });
            admin.on("join", (a, ack) -> {
                for (RemoteSocket s : node.of("/orders").fetchSockets().get(10, TimeUnit.SECONDS)) {
                    if (s.id().equals(a.getString(0))) {
                        s.join(a.getString(1));
                    }
                }
                ack.send("joined");
            });
            admin.on("emit", (a, ack) -> {
                node.of("/orders").to(a.getString(0)).emit(a.getString(1), a.getString(2));
                ack.send("sent");
            });
        });
        StandaloneServer web = StandaloneServer.start("127.0.0.1", 0,
                List.of(new StandaloneServer.Mount(node.engine(), false)), false);
        System.out.println("PORT " + web.port());
        System.out.flush();
        CountDownLatch stdinEnded = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the test writes nothing: only the end matters
                }
            } catch (java.io.IOException ignored) {
                // the end
            }
            stdinEnded.countDown();
        }, "orders-node-stdin");
        reader.setDaemon(true);
        reader.start();
        stdinEnded.await();
        node.close();
        web.close();
    }
}
