package dev.parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples run as written: every Java block is a whole source file that compiles
 * against Parley; the blocks of "Your first namespace" are, character for character, the files of
 * the example project src/it/orders-app (which the build compiles against the installed artifact
 * and the container tests deploy and drive), and so are its dependency snippet and its browser code.
 */
class ReadmeExamplesTest {

    private static final Path APP = Path.of("src/it/orders-app");
    private static final Pattern BLOCK = Pattern.compile("(?m)^```(\\w+)\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

    private record Block(String language, String code) {
    }

    private static List<Block> blocks() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return blocks;
    }

    private static List<String> javaBlocks(boolean ofTheExampleProject) throws IOException {
        return blocks().stream().filter(b -> b.language().equals("java"))
                .map(Block::code).filter(c -> c.startsWith("package com.example.orders;") == ofTheExampleProject).toList();
    }

    private static String publicType(String source) {
        Matcher m = PUBLIC_TYPE.matcher(source);
        assertThat(m.find()).as("a public type in:%n%s", source).isTrue();
        return m.group(1);
    }

    @Test
    void theExampleProjectsBlocksAreItsFiles() throws IOException {
        List<String> blocks = javaBlocks(true);
        assertThat(blocks).as("README blocks of package com.example.orders").hasSizeGreaterThanOrEqualTo(2);
        for (String block : blocks) {
            Path file = APP.resolve("src/main/java/com/example/orders/" + publicType(block) + ".java");
            assertThat(file).exists();
            assertThat(block).as("README block for %s", file).isEqualTo(Files.readString(file));
        }
    }

    @Test
    void theCommandLineChatBlockIsTheFileItsCommandRuns() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("java -cp target/parley-standalone.jar src/examples/ChatCli.java");
        assertThat(javaBlocks(false)).as("the README's ChatCli block, as src/examples/ChatCli.java (ChatCliIT runs it)")
                .contains(Files.readString(Path.of("src/examples/ChatCli.java")));
    }

    @Test
    void everyOtherJavaBlockIsAWholeFileThatCompiles(@TempDir Path dir) throws IOException {
        List<String> blocks = javaBlocks(false);
        assertThat(blocks).as("Java blocks outside the example project").hasSizeGreaterThanOrEqualTo(3);
        List<String> files = new ArrayList<>();
        for (String block : blocks) {
            assertThat(block).as("a README Java block starts with its package").startsWith("package ");
            String pkg = block.substring("package ".length(), block.indexOf(';'));
            Path file = dir.resolve(pkg.replace('.', '/')).resolve(publicType(block) + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, block);
            files.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler (run the tests on a JDK, not a JRE)").isNotNull();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-Xlint:all", "-Werror",
                "-classpath", classPath, "-d", dir.resolve("classes").toString()));
        args.addAll(files);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = javac.run(null, out, out, args.toArray(String[]::new));
        assertThat(status).as("javac on the README's Java blocks:%n%s", out.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void theDependencySnippetIsTheExampleProjectsDependencies() throws IOException {
        String snippet = blocks().stream().filter(b -> b.language().equals("xml")
                && b.code().contains("<artifactId>parley</artifactId>")).map(Block::code).findFirst().orElseThrow();
        String pom = Files.readString(APP.resolve("pom.xml"));
        String dependencies = pom.substring(pom.indexOf("<dependencies>\n") + "<dependencies>\n".length(),
                pom.indexOf("  </dependencies>"));
        String version = projectVersion();
        String unindented = dependencies.replace("@project.version@", version).lines()
                .map(l -> l.startsWith("    ") ? l.substring(4) : l).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        assertThat(snippet).isEqualTo(unindented);
    }

    @Test
    void theBrowserSnippetIsTheExamplePagesCode() throws IOException {
        String snippet = blocks().stream().filter(b -> b.language().equals("js")
                && b.code().contains("io(\"/orders\"")).map(Block::code).findFirst().orElseThrow();
        List<String> page = Files.readAllLines(APP.resolve("src/main/webapp/index.html")).stream()
                .map(String::strip).toList();
        List<String> lines = snippet.lines().map(String::strip).toList();
        assertThat(java.util.Collections.indexOfSubList(page, lines))
                .as("the README's browser code, line for line, in orders-app's index.html").isNotNegative();
    }

    private static String projectVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>parley</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
