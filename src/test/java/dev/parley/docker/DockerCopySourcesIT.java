package dev.parley.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * After {@code mvn package} (failsafe runs after it), every file a {@code docker/Dockerfile.*} copies from
 * the build context, the repository root, exists: a renamed artifact breaks {@code docker build} here
 * first. The standalone jar the compose file's nodes run with {@code PARLEY_ADAPTER=redis} carries the
 * Redis adapter's libraries.
 */
class DockerCopySourcesIT {

    @Test
    void everyCopySourceExistsAfterPackage() throws Exception {
        List<Path> dockerfiles = DockerFiles.dockerfiles();
        assertThat(dockerfiles).hasSize(3);
        for (Path dockerfile : dockerfiles) {
            List<DockerFiles.Copy> copies = DockerFiles.copies(dockerfile);
            assertThat(copies).as("%s copies something", dockerfile.getFileName()).isNotEmpty();
            for (DockerFiles.Copy copy : copies) {
                for (String source : copy.sources()) {
                    assertThat(source).as("%s: %s names its file (no wildcard)", dockerfile.getFileName(), copy.instruction())
                            .doesNotContain("*", "?", "[");
                    Path file = DockerFiles.ROOT.resolve(source);
                    assertThat(file).as("%s: %s", dockerfile.getFileName(), copy.instruction()).isRegularFile();
                    assertThat(Files.size(file)).isPositive();
                }
            }
        }
    }

    @Test
    void theStandaloneJarCarriesTheRedisAdaptersLibraries() throws Exception {
        try (ZipFile jar = new ZipFile(DockerFiles.ROOT.resolve("target/parley-standalone.jar").toFile())) {
            assertThat(jar.getEntry("io/lettuce/core/RedisClient.class")).as("lettuce-core").isNotNull();
            assertThat(jar.getEntry("org/msgpack/core/MessagePack.class")).as("msgpack-core").isNotNull();
        }
    }
}
