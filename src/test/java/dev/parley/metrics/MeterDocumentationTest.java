package dev.parley.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ParleyOptions;
import dev.parley.server.ParleyServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's table of meters is what {@link ParleyMeters} registers: each meter's name, its
 * Prometheus name, type, tags with their values, and description, by name. On a
 * difference the test prints the table to paste between the markers.
 */
class MeterDocumentationTest {

    private static final Pattern BLOCK = Pattern.compile(
            "<!-- meters \\(generated[^>]*-->\n(.*?)<!-- end of meters -->", Pattern.DOTALL);

    @Test
    void theReadmeListsEveryMeterAsRegistered() throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(Path.of("README.md")));
        assertThat(m.find()).as("README's meters markers").isTrue();
        String expected = table();
        assertThat(m.group(1)).as("README table of meters differs from ParleyMeters; paste this between the "
                + "markers:%n%s", expected).isEqualTo(expected);
    }

    @Test
    void everyMeterIsUnderTheParleyPrefixWithADescription() {
        for (Meter meter : meters()) {
            assertThat(meter.getId().getName()).startsWith("parley.");
            assertThat(meter.getId().getDescription()).isNotBlank();
        }
    }

    private static List<Meter> meters() {
        ParleyServer server = new ParleyServer(ParleyOptions.defaults());
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new ParleyMeters(server).bindTo(registry);
            return new ArrayList<>(registry.getMeters());
        } finally {
            server.close();
        }
    }

    /** The markdown table: one row per meter name, its tags' values gathered from its series. */
    static String table() {
        Map<String, List<Meter>> byName = new TreeMap<>(); // the registry keeps no order: by name
        for (Meter meter : meters()) {
            byName.computeIfAbsent(meter.getId().getName(), k -> new ArrayList<>()).add(meter);
        }
        StringBuilder out = new StringBuilder("| meter | Prometheus | type | tags | meaning |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Meter>> e : byName.entrySet()) {
            Meter.Id id = e.getValue().get(0).getId();
            Map<String, Set<String>> tags = new TreeMap<>();
            for (Meter meter : e.getValue()) {
                for (Tag t : meter.getId().getTagsAsIterable()) {
                    tags.computeIfAbsent(t.getKey(), k -> new TreeSet<>()).add(t.getValue());
                }
            }
            List<String> tagText = new ArrayList<>();
            tags.forEach((k, values) -> tagText.add("`" + k + "`: " + String.join(", ", values.stream()
                    .map(v -> "`" + v + "`").toList())));
            boolean counter = id.getType() == Meter.Type.COUNTER;
            boolean timer = id.getType() == Meter.Type.TIMER;
            String base = id.getName().replace('.', '_');
            String prometheus = timer ? base + "_seconds_count` `" + base + "_seconds_sum"
                    : base + (id.getBaseUnit() == null ? "" : "_" + id.getBaseUnit()) + (counter ? "_total" : "");
            out.append("| `").append(id.getName()).append("` | `").append(prometheus).append("` | ")
                    .append(counter ? "counter" : timer ? "timer" : "gauge").append(" | ").append(String.join("; ", tagText))
                    .append(" | ").append(id.getDescription()).append(" |\n");
        }
        return out.toString();
    }
}
