package dev.parley.docker;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The repository's {@code docker/} folder as its tests read it: where its files are, each Dockerfile's
 * {@code COPY}/{@code ADD} instructions (whose sources come from the build context, the repository root),
 * and {@code docker-compose} run on its compose file. No Docker engine is needed: Debian's
 * {@code docker-compose} 1.29 validates a compose file by itself ({@code config}); a missing
 * {@code docker-compose} fails saying what to install.
 */
final class DockerFiles {

    /** The repository root (Maven runs tests there): the build context of every image. */
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DIR = ROOT.resolve("docker");
    static final Path COMPOSE = DIR.resolve("docker-compose.yml");

    private DockerFiles() {
    }

    /** {@code docker/Dockerfile.*}, sorted. */
    static List<Path> dockerfiles() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.getFileName().toString().startsWith("Dockerfile.")).sorted().toList();
        }
    }

    /** A {@code COPY} or {@code ADD} taking its sources from the build context. */
    record Copy(Path dockerfile, String instruction, List<String> sources, String destination) {
    }

    /**
     * The {@code COPY} and {@code ADD} instructions of {@code dockerfile} that read the build context
     * (those with {@code --from=} read another stage or image and are left out), in both the shell form
     * ({@code COPY --chown=a:b src... dest}) and the JSON form ({@code COPY ["src", "dest"]}); lines
     * continued with a backslash are joined first.
     */
    static List<Copy> copies(Path dockerfile) throws IOException {
        List<Copy> copies = new ArrayList<>();
        for (String instruction : instructions(dockerfile)) {
            String[] keywordAndRest = instruction.split("\\s+", 2);
            String keyword = keywordAndRest[0].toUpperCase(Locale.ROOT);
            if (!keyword.equals("COPY") && !keyword.equals("ADD")) {
                continue;
            }
            List<String> args = new ArrayList<>(Arrays.asList(keywordAndRest.length > 1
                    ? keywordAndRest[1].trim().split("\\s+") : new String[0]));
            boolean fromElsewhere = false;
            while (!args.isEmpty() && args.get(0).startsWith("--")) {
                fromElsewhere |= args.remove(0).startsWith("--from=");
            }
            String rest = String.join(" ", args);
            if (rest.startsWith("[")) {
                try (JsonReader json = Json.createReader(new StringReader(rest))) {
                    args = json.readArray().getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
                }
            }
            if (args.size() < 2) {
                throw new AssertionError(dockerfile + ": " + keyword + " needs a source and a destination: " + instruction);
            }
            if (!fromElsewhere) {
                copies.add(new Copy(dockerfile, instruction, List.copyOf(args.subList(0, args.size() - 1)),
                        args.get(args.size() - 1)));
            }
        }
        return copies;
    }

    /** The instructions of {@code dockerfile}: comments and blank lines dropped, continued lines joined. */
    static List<String> instructions(Path dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            instructions.add(current.append(trimmed).toString().strip());
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            instructions.add(current.toString().strip());
        }
        return instructions;
    }

    /** What a run of {@code docker-compose} printed, and its exit status. */
    record Run(int exit, String stdout, String stderr) {
    }

    /** Runs {@code docker-compose -f docker/docker-compose.yml <args>} (no engine needed for {@code config}). */
    static Run compose(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-f", COMPOSE.toString()));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(ROOT.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("docker-compose is missing: install it "
                    + "(apt-get install --no-install-recommends docker-compose): " + e.getMessage(), e);
        }
        p.getOutputStream().close();
        // compose's output is small: read stderr on its own thread so neither pipe can fill up
        CompletableFuture<String> stderr = new CompletableFuture<>();
        Thread errors = new Thread(() -> {
            try {
                stderr.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                stderr.completeExceptionally(e);
            }
        }, "docker-compose-stderr");
        errors.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker-compose " + String.join(" ", args) + " did not end within 60 s");
        }
        try {
            return new Run(p.exitValue(), stdout, stderr.get(10, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("docker-compose's stderr could not be read", e);
        }
    }
}
