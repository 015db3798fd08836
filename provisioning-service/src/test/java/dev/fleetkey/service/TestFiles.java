package dev.fleetkey.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Clean-up of temporary test directories. */
public final class TestFiles {

    private TestFiles() {
    }

    /** Deletes {@code dir} and everything under it; best effort, as it runs during clean-up. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leave it to the OS's temp cleaning
        }
    }
}
