package dev.fleetkey.bundle.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Which main source files of the module under test name a package: the check behind each module's
 * "must not depend on" rule in its README.md. A fully qualified name counts as much as an import.
 */
public final class SourceReferences {

    /** The module's main sources; tests run with the module directory as working directory. */
    public static final Path MAIN_SOURCES = Path.of("src", "main", "java");

    private SourceReferences() {
    }

    /** "path: line" for every main source line that names {@code packagePrefix}, e.g. "org.springframework.". */
    public static List<String> referencesTo(String packagePrefix) {
        return referencesTo(packagePrefix, file -> true);
    }

    /** As {@link #referencesTo(String)}, in the files {@code where} accepts (paths relative to the sources). */
    public static List<String> referencesTo(String packagePrefix, Predicate<Path> where) {
        if (!Files.isDirectory(MAIN_SOURCES)) {
            throw new IllegalStateException(MAIN_SOURCES.toAbsolutePath()
                    + " is missing: run the test from the module directory");
        }
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> where.test(MAIN_SOURCES.relativize(f)))
                    .flatMap(f -> lines(f).stream().filter(l -> l.contains(packagePrefix))
                            .map(l -> MAIN_SOURCES.relativize(f) + ": " + l.strip()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
