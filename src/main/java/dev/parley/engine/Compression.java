package dev.parley.engine;

/**
 * What an engine compresses, as Node's engine.io: {@code perMessageDeflate} (permessage-deflate,
 * RFC 7692, on WebSocket; off by default, as in Node) and {@code httpCompression} (gzip or deflate of
 * polling responses by {@code Accept-Encoding}; on by default, as in Node), each from a threshold
 * in bytes: a WebSocket message, or a polling response body, shorter than its threshold is sent as
 * is. A packet sent with Socket.IO's {@code compress(false)} is never compressed on WebSocket, and a
 * polling response holding only such packets is not compressed (engine.io's rule: compressed if any
 * packet in it may be). Immutable.
 *
 * @param perMessageDeflate          whether the WebSocket endpoint accepts a client's permessage-deflate offer
 * @param perMessageDeflateThreshold bytes from which a WebSocket message is compressed (Node: 1024)
 * @param httpCompression            whether polling responses are compressed for clients that accept it
 * @param httpCompressionThreshold   bytes from which a polling response body is compressed (Node: 1024)
 */
public record Compression(boolean perMessageDeflate, int perMessageDeflateThreshold, boolean httpCompression,
        int httpCompressionThreshold) {

    /** Node's defaults: permessage-deflate off, HTTP compression on, both from 1024 bytes. */
    public static final Compression DEFAULTS = new Compression(false, 1024, true, 1024);

    public Compression {
        if (perMessageDeflateThreshold < 0 || httpCompressionThreshold < 0) {
            throw new IllegalArgumentException("compression thresholds must not be negative");
        }
    }

    /** Whether a WebSocket message of {@code bytes} (its payload) with the packet's {@code compress} flag is deflated. */
    public boolean deflatesMessage(boolean compress, int bytes) {
        return perMessageDeflate && compress && bytes >= perMessageDeflateThreshold;
    }
}
