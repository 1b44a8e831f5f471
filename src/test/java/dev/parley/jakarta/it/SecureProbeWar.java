package dev.parley.jakarta.it;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds the WAR of the logged-in-user probe ({@code dev.parley.jakarta.it.secure}), like
 * {@link ContainerScenarios#war}: the probe's classes (identity store, servlet, WebSocket
 * endpoints) plus exactly one authentication mechanism, a sub-package of it ({@code basic}: the
 * built-in {@code @BasicAuthenticationMechanismDefinition}; {@code custom}: a hand-written
 * {@code HttpAuthenticationMechanism}), plus the Parley jar in WEB-INF/lib. No web.xml, no
 * container descriptor: the WAR configures its own security.
 */
final class SecureProbeWar {

    static final String PROBE = "dev/parley/jakarta/it/secure";
    static final List<String> MECHANISMS = List.of("basic", "custom");

    private SecureProbeWar() {
    }

    static File build(File war, String mechanism) throws IOException {
        if (!MECHANISMS.contains(mechanism)) {
            throw new IllegalArgumentException("no mechanism package " + mechanism + " under " + PROBE);
        }
        Path classes = Path.of(System.getProperty("parley.testClasses", "target/test-classes"));
        File library = ContainerScenarios.file("parley.libraryJar");
        try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(war));
             Stream<Path> probe = Files.list(classes.resolve(PROBE));
             Stream<Path> chosen = Files.walk(classes.resolve(PROBE).resolve(mechanism))) {
            for (Path p : (Iterable<Path>) Stream.concat(probe, chosen).filter(Files::isRegularFile)::iterator) {
                zip.putNextEntry(new ZipEntry("WEB-INF/classes/" + classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, zip);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("WEB-INF/lib/" + library.getName()));
            Files.copy(library.toPath(), zip);
            zip.closeEntry();
        }
        return war;
    }
}
