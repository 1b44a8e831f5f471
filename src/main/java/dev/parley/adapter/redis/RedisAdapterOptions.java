package dev.parley.adapter.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RedisAdapterFactory} reaches Redis and names its channels, as the options of
 * {@code @socket.io/redis-adapter}.
 *
 * @param redisUrl  {@code redis://[user:password@]host:port[/db]} or {@code rediss://} (TLS)
 * @param password  the password when it is not in the URL (read from a file, say), else {@code null}
 * @param key       the prefix of every channel, {@code socket.io} by default: nodes sharing a key form one cluster
 * @param requestTimeout how long a request to the other nodes (fetchSockets, a server-side emit with
 *                  acknowledgement...) waits for every answer before it fails; 5 s by default
 * @param publishOnSpecificResponseChannel whether answers to another node go to that node's own response
 *                  channel ({@code <key>-response#<nsp>#<uid>#}) rather than the shared one; either is read
 */
public record RedisAdapterOptions(String redisUrl, String password, String key, Duration requestTimeout,
                                  boolean publishOnSpecificResponseChannel) {

    /** The key of the official adapter. */
    public static final String DEFAULT_KEY = "socket.io";

    /** The request timeout of the official adapter. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMillis(5000);

    public RedisAdapterOptions {
        Objects.requireNonNull(redisUrl, "redisUrl");
        if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            throw new IllegalArgumentException("a Redis URL starts with redis:// or rediss://, not " + redisUrl);
        }
        key = key == null || key.isEmpty() ? DEFAULT_KEY : key;
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, not " + requestTimeout);
        }
    }

    /** The official adapter's defaults, for Redis at {@code redisUrl}. */
    public static RedisAdapterOptions of(String redisUrl) {
        return new RedisAdapterOptions(redisUrl, null, DEFAULT_KEY, DEFAULT_REQUEST_TIMEOUT, false);
    }

    public RedisAdapterOptions withKey(String newKey) {
        return new RedisAdapterOptions(redisUrl, password, newKey, requestTimeout, publishOnSpecificResponseChannel);
    }

    public RedisAdapterOptions withRequestTimeout(Duration timeout) {
        return new RedisAdapterOptions(redisUrl, password, key, timeout, publishOnSpecificResponseChannel);
    }

    public RedisAdapterOptions withPassword(String newPassword) {
        return new RedisAdapterOptions(redisUrl, newPassword, key, requestTimeout, publishOnSpecificResponseChannel);
    }

    public RedisAdapterOptions withPublishOnSpecificResponseChannel(boolean value) {
        return new RedisAdapterOptions(redisUrl, password, key, requestTimeout, value);
    }

    /** Hides the password, which a log line must never show. */
    @Override
    public String toString() {
        return "RedisAdapterOptions[redisUrl=" + redisUrl.replaceAll("//[^@/]*@", "//***@") + ", key=" + key
                + ", requestTimeout=" + requestTimeout + ", publishOnSpecificResponseChannel="
                + publishOnSpecificResponseChannel + "]";
    }
}
