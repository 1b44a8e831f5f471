package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.HaProxy;
import dev.parley.testing.Nginx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Scaling out" shows the nginx and HAProxy configurations the cluster tests run:
 * each block equals what {@link Nginx#siteConfig} / {@link HaProxy#siteConfig} generate for the
 * README's ports (listening on 80, nodes on 127.0.0.1:3001-3003).
 */
class ScalingOutReadmeTest {

    private static final List<Integer> NODES = List.of(3001, 3002, 3003);

    private static String section() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Scaling out\n");
        assertThat(start).as("README section \"Scaling out\"").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static String block(String language) throws IOException {
        Matcher m = Pattern.compile("(?ms)^```" + language + "\\n(.*?)^```$").matcher(section());
        assertThat(m.find()).as("a ```%s block in \"Scaling out\"", language).isTrue();
        String code = m.group(1);
        assertThat(m.find()).as("only one ```%s block in \"Scaling out\"", language).isFalse();
        return code;
    }

    @Test
    void theNginxBlockIsTheConfigTheClusterTestsRun() throws IOException {
        assertThat(block("nginx")).isEqualTo(Nginx.siteConfig("80", NODES));
    }

    @Test
    void theHaProxyBlockIsTheConfigTheClusterTestsRun() throws IOException {
        assertThat(block("haproxy")).isEqualTo(HaProxy.siteConfig(":80", NODES));
    }
}
