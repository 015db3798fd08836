package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole files, readable by the owner only, no temporary file left behind, the old file untouched when the
 * write fails. (That the bytes and the rename were forced to the disk needs a power cut to observe.)
 */
class DurableFilesTest {

    @TempDir
    Path dir;

    @Test
    void replaceCreatesTheFileInDirectoriesThatDoNotExistYet() throws IOException {
        Path file = dir.resolve("packages/demo-sensor/1.0-rev-a.fkpkg");

        DurableFiles.replace(file, "first".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("first");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void replaceSwapsTheWholeContentAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("keystore.p12");
        DurableFiles.replace(file, new byte[100_000]);

        DurableFiles.replace(file, "second".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("second");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFailedReplaceLeavesWhatWasThereAndNoTemporaryFile() throws IOException {
        Path occupied = Files.createDirectories(dir.resolve("initial-admin-password"));
        Files.writeString(occupied.resolve("keep"), "kept");

        assertThatThrownBy(() -> DurableFiles.replace(occupied, "new".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);

        assertThat(occupied.resolve("keep")).hasContent("kept");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(occupied);
        }
    }
}
