package dev.parley.transport.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

/** The polling response's content coding, chosen as engine.io's {@code accepts().encodings(["gzip","deflate"])}. */
class ContentCodingTest {

    @Test
    void choosesAsNegotiatorDoes() {
        assertThat(ContentCoding.negotiate(null)).isNull();
        assertThat(ContentCoding.negotiate("")).isNull();
        assertThat(ContentCoding.negotiate("identity")).isNull();
        assertThat(ContentCoding.negotiate("br")).isNull();
        assertThat(ContentCoding.negotiate("gzip, deflate, br, zstd")).isEqualTo("gzip");
        assertThat(ContentCoding.negotiate("deflate, gzip")).as("the client's order on equal quality").isEqualTo("deflate");
        assertThat(ContentCoding.negotiate("gzip;q=0.5, deflate")).isEqualTo("deflate");
        assertThat(ContentCoding.negotiate("GZIP;Q=0.8")).isEqualTo("gzip");
        assertThat(ContentCoding.negotiate("gzip;q=0")).isNull();
        assertThat(ContentCoding.negotiate("*")).as("the server's order under *").isEqualTo("gzip");
        assertThat(ContentCoding.negotiate("*;q=0.5, deflate")).isEqualTo("deflate");
        assertThat(ContentCoding.negotiate("gzip;q=0, *")).isEqualTo("deflate");
        assertThat(ContentCoding.negotiate("gzip;q=nonsense")).isNull();
    }

    @Test
    void encodesGzipAndZlibDeflate() throws IOException {
        byte[] body = "4hello ".repeat(500).getBytes(StandardCharsets.UTF_8);
        byte[] gzip = ContentCoding.encode(body, ContentCoding.GZIP);
        assertThat(gzip[0] & 0xFF).isEqualTo(0x1F);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzip)).readAllBytes()).isEqualTo(body);
        byte[] deflate = ContentCoding.encode(body, ContentCoding.DEFLATE);
        assertThat(deflate[0] & 0x0F).as("zlib header: method 8").isEqualTo(8);
        assertThat(new InflaterInputStream(new ByteArrayInputStream(deflate)).readAllBytes()).isEqualTo(body);
        assertThat(gzip.length).isLessThan(body.length / 10);
    }
}
