package dev.fleetkey.service.firmware;

import dev.fleetkey.service.system.DurableFiles;
import dev.fleetkey.service.system.FleetkeyProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * The package files under {@code fleetkey.firmware-dir}, written whole and on the disk before the release is
 * committed and acknowledged (see {@link DurableFiles}).
 */
@Component
class PackageFiles {

    private final Path directory;

    PackageFiles(FleetkeyProperties properties) {
        this.directory = properties.firmwareDir().toAbsolutePath().normalize();
    }

    Path directory() {
        return directory;
    }

    void write(String relative, byte[] bytes) {
        Path file = resolve(relative);
        try {
            DurableFiles.replace(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write package " + file + ": " + e.getMessage(), e);
        }
    }

    byte[] read(String relative) {
        try {
            return Files.readAllBytes(resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("package file " + relative + " is missing from " + directory
                    + ": restore it from backup", e);
        }
    }

    void delete(String relative) {
        try {
            Files.deleteIfExists(resolve(relative));
        } catch (IOException e) {
            // the row was not written; a stray file is harmless and overwritten by the next release of that name
        }
    }

    private Path resolve(String relative) {
        Path file = directory.resolve(relative).normalize();
        if (!file.startsWith(directory)) {
            throw new IllegalArgumentException("package path escapes the firmware directory: " + relative);
        }
        return file;
    }
}
