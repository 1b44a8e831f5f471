package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link RedisServer} starts a real redis-server on loopback, stops it as a crash would, and restarts it. */
class RedisServerTest {

    @Test
    void startsStopsAndRestartsOnTheSamePort() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.ping()).isTrue();
            int port = redis.port();
            redis.stop();
            assertThat(redis.ping()).isFalse();
            redis.restart();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.ping()).isTrue();
        }
    }
}
