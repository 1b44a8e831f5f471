package dev.parley.adapter.redis;

/** The request and response types of {@code @socket.io/redis-adapter} 8 ({@code type} on the wire). */
final class RequestType {

    static final long SOCKETS = 0;
    static final long ALL_ROOMS = 1;
    static final long REMOTE_JOIN = 2;
    static final long REMOTE_LEAVE = 3;
    static final long REMOTE_DISCONNECT = 4;
    static final long REMOTE_FETCH = 5;
    static final long SERVER_SIDE_EMIT = 6;
    static final long BROADCAST = 7;
    static final long BROADCAST_CLIENT_COUNT = 8;
    static final long BROADCAST_ACK = 9;

    private RequestType() {
    }
}
