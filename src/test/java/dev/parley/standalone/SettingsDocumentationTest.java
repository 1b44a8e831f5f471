package dev.parley.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.engine.EngineOptions;
import dev.parley.settings.Group;
import dev.parley.settings.Setting;
import dev.parley.settings.Settings;
import dev.parley.settings.SettingsDocumentation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README documents the settings Parley has, as they are declared: its settings tables are the
 * ones {@link SettingsDocumentation} generates, and every {@code --flag} it names is one the
 * standalone command line takes.
 */
class SettingsDocumentationTest {

    /** {@code <!-- settings: GROUP ... (...) -->}, the generated tables, {@code <!-- end of settings -->}. */
    private static final Pattern BLOCK = Pattern.compile(
            "<!-- settings: ([A-Z_ ]+?) \\(generated[^>]*-->\n(.*?)<!-- end of settings -->", Pattern.DOTALL);
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--([a-z][a-z-]*)");

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    @Test
    void theReadmeSettingsTablesAreTheDeclaredSettings() throws IOException {
        Matcher m = BLOCK.matcher(readme());
        Set<Group> documented = EnumSet.noneOf(Group.class);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            List<Group> groups = Arrays.stream(m.group(1).trim().split(" +")).map(Group::valueOf).toList();
            documented.addAll(groups);
            String expected = SettingsDocumentation.markdownTables(groups);
            assertThat(m.group(2))
                    .as("README table of %s differs from dev.parley.settings.Settings; paste this between the "
                            + "markers:%n%s", groups, expected)
                    .isEqualTo(expected);
        }
        assertThat(blocks).as("settings tables in the README").isEqualTo(5);
        assertThat(documented).as("groups with a README table").containsExactlyInAnyOrder(Group.values());
    }

    @Test
    void everyFlagTheReadmeNamesIsAFlagOfTheStandaloneServer() throws IOException {
        assertThat(unknownFlags(readme())).as("flags in README.md the command line refuses").isEmpty();
    }

    /** The check above catches the kind of drift it is for (a flag documented but refused). */
    @Test
    void aFlagTheCommandLineRefusesIsCaught() {
        assertThat(unknownFlags("java -jar target/parley-standalone.jar --cors-origin * --ping-interval 1"))
                .containsExactly("--cors-origin");
        assertThat(unknownFlags("`--no-serve-client`, --host, `--max-buffered-bytes=5`")).isEmpty();
        assertThat(unknownFlags("docker compose -f docker/docker-compose.yml up --build")).isEmpty();
    }

    @Test
    void helpListsEverySettingWithItsValueKindDefaultAndDoc() {
        String usage = CommandLine.USAGE;
        for (Setting<?> s : Settings.ALL) {
            // the doc follows on the same line, or on the next when flag and value are long
            assertThat(usage).containsPattern("  --" + Pattern.quote(s.name() + " " + s.kind().label()) + "\\s");
        }
        for (CommandLine.Flag f : CommandLine.OWN_FLAGS) {
            assertThat(usage).contains("  " + f.name());
        }
        // The default shown is the builder's, not a copy.
        assertThat(usage).containsPattern("--ping-interval MS +ms between server pings \\(default "
                + EngineOptions.defaults().pingIntervalMillis() + "\\)\n");
        assertThat(usage).contains("(default 4 × max-payload, ≥ 4 MiB)");
        assertThat(usage).doesNotContain("`");
        for (String line : usage.split("\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(100);
        }
    }

    /**
     * The {@code --names} in {@code text} that are neither a setting nor a flag of the standalone
     * server. Lines running another program (Payara Micro's {@code --deploy}, {@code docker compose}'s
     * {@code --build}) are not ours to check.
     */
    static Set<String> unknownFlags(String text) {
        Set<String> unknown = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.contains("payara-micro") || line.contains("docker compose")) { // other programs' flags
                continue;
            }
            Matcher m = FLAG.matcher(line);
            while (m.find()) {
                String flag = "--" + m.group(1);
                if (!Settings.names().contains(m.group(1)) && CommandLine.own(flag) == null) {
                    unknown.add(flag);
                }
            }
        }
        return unknown;
    }
}
