package dev.parley.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one loop of a streams factory that reads the stream: {@code XREAD BLOCK <block> COUNT <n>}
 * on a connection of its own, on one thread ({@code parley-redis-streams-reader-<n>}), handing
 * each entry that names a namespace to that namespace's adapter, on this thread, in stream order.
 * It starts after the stream's last entry at the time it is made, so everything added from then on
 * is read (the reference starts at {@code $} when its first XREAD runs). Errors (Redis gone) are
 * logged once per outage and retried after a short pause; Lettuce reconnects by itself.
 */
final class StreamsReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StreamsReader.class.getName());
    private static final AtomicInteger COUNT = new AtomicInteger();

    /** Where entries of a namespace go. */
    interface EntryHandler {
        void onEntry(Map<String, String> fields, String id);
    }

    private final StatefulRedisConnection<String, String> connection;
    private final String stream;
    private final XReadArgs args;
    private final Map<String, EntryHandler> namespaces = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private String offset; // only the reader thread touches it once started

    StreamsReader(RedisClient client, String stream, int readCount, Duration block) {
        this.connection = client.connect(StringCodec.UTF8);
        this.stream = stream;
        this.args = XReadArgs.Builder.block(block.toMillis()).count(readCount);
        List<StreamMessage<String, String>> last = connection.sync().xrevrange(stream,
                io.lettuce.core.Range.unbounded(), io.lettuce.core.Limit.from(1));
        this.offset = last.isEmpty() ? "0-0" : last.get(0).getId();
        this.thread = new Thread(this::loop, "parley-redis-streams-reader-" + COUNT.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    void register(String namespace, EntryHandler handler) {
        namespaces.put(namespace, handler);
    }

    void unregister(String namespace) {
        namespaces.remove(namespace);
    }

    private void loop() {
        boolean failing = false;
        while (running) {
            try {
                List<StreamMessage<String, String>> entries = connection.sync().xread(args,
                        XReadArgs.StreamOffset.from(stream, offset));
                failing = false;
                for (StreamMessage<String, String> entry : entries) {
                    offset = entry.getId();
                    String nsp = entry.getBody().get("nsp");
                    EntryHandler handler = nsp == null ? null : namespaces.get(nsp);
                    if (handler != null) {
                        try {
                            handler.onEntry(entry.getBody(), entry.getId());
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "stream entry " + entry.getId() + " not handled", e);
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failing) {
                    LOG.log(Level.WARNING, "cannot read stream " + stream + " (retrying): " + e.getMessage());
                    failing = true;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // a pause between retries, not a sync
            }
        }
    }

    @Override
    public void close() {
        running = false;
        connection.close(); // ends a blocked XREAD at once
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
