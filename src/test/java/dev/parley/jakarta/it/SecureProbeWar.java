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
 * {@code HttpAuthenticationMechanism}), plus the Parley jar in WEB-INF/lib. Its web.xml only sets
 * Parley's {@code parley.auth=container}: the annotated namespaces ({@code SecureChat},
 * {@code OpsNamespace}) then see the container's login. No container descriptor: the WAR
 * configures its own security.
 */
final class SecureProbeWar {

    static final String PROBE = "dev/parley/jakarta/it/secure";
    static final List<String> MECHANISMS = List.of("basic", "custom");

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>parley.auth</param-name><param-value>container</param-value></context-param>
              <context-param>
                <param-name>parley.container-roles</param-name><param-value>admin,user</param-value>
              </context-param>
              <context-param><param-name>parley.event-rate</param-name><param-value>20</param-value></context-param>
              <context-param><param-name>parley.max-namespaces</param-name><param-value>2</param-value></context-param>
            </web-app>
            """;

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
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write(WEB_XML.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
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
