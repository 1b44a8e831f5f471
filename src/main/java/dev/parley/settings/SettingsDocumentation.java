package dev.parley.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings of {@link Settings#ALL} written for people: the {@code --help} lines of the
 * standalone server and the markdown tables of the README (which
 * {@code SettingsDocumentationTest} keeps equal to these).
 */
public final class SettingsDocumentation {

    /** Width of {@code --help} text, wrapped at spaces. */
    static final int WIDTH = 100;
    /** Column where a flag's doc starts. */
    static final int DOC_COLUMN = 36;

    private SettingsDocumentation() {
    }

    /** The {@code --help} lines of every setting, by group, each group under its title. */
    public static String help() {
        StringBuilder out = new StringBuilder();
        for (Group group : Group.values()) {
            out.append(group.title()).append(":\n");
            for (Setting<?> s : inGroup(group)) {
                String shown = plain(s.defaultShown());
                out.append(helpLine("--" + s.name() + " " + s.kind().label(),
                        plain(s.doc()) + (shown.isEmpty() ? "" : " (default " + shown + ")")));
            }
        }
        return out.toString();
    }

    /**
     * One option of {@code --help}: the flag (with its value word) indented, the doc from
     * {@link #DOC_COLUMN} (on the next line when the flag is longer), wrapped at {@link #WIDTH}.
     */
    public static String helpLine(String flag, String doc) {
        StringBuilder out = new StringBuilder("  ").append(flag);
        String indent = " ".repeat(DOC_COLUMN);
        if (out.length() >= DOC_COLUMN - 1) {
            out.append('\n').append(indent);
        } else {
            out.append(" ".repeat(DOC_COLUMN - out.length()));
        }
        int column = DOC_COLUMN;
        boolean first = true;
        for (String word : doc.split(" ")) {
            if (!first && column + 1 + word.length() > WIDTH) {
                out.append('\n').append(indent);
                column = DOC_COLUMN;
                first = true;
            }
            if (!first) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
            first = false;
        }
        return out.append('\n').toString();
    }

    /**
     * The README tables of these groups, in the order given: per group a markdown table
     * ({@code | `name` | default | doc |} rows), under the group's title in bold when there are
     * several groups, groups separated by a blank line.
     */
    public static String markdownTables(List<Group> groups) {
        StringBuilder out = new StringBuilder();
        for (Group group : groups) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            if (groups.size() > 1) {
                out.append("**").append(group.title()).append("**\n\n");
            }
            out.append("| setting | default | meaning |\n|---|---|---|\n");
            for (Setting<?> s : inGroup(group)) {
                String shown = s.defaultShown();
                out.append("| `").append(s.name()).append("` | ").append(shown.isEmpty() ? "" : shown + " ")
                        .append("| ").append(s.doc().replace("|", "\\|")).append(" |\n");
            }
        }
        return out.toString();
    }

    private static List<Setting<?>> inGroup(Group group) {
        List<Setting<?>> settings = new ArrayList<>();
        for (Setting<?> s : Settings.ALL) {
            if (s.group() == group) {
                settings.add(s);
            }
        }
        return settings;
    }

    /** Markdown to terminal text: code spans lose their backticks. */
    private static String plain(String markdown) {
        return markdown.replace("`", "");
    }
}
