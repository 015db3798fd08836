package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar in a JVM with a small heap, as a device runs it, handed a bundle larger than that heap: the
 * out-of-memory is reported in one line with the internal-error code, not the JVM's exit status 1 (the usage code).
 */
class OutOfMemoryIT {

    private static final Path JAR = Path.of("target", "fleetkey-device.jar");

    @TempDir
    Path dir;

    @Test
    void aBundleLargerThanTheHeapEndsWithTheInternalErrorCodeAndSaysHowToGiveMoreMemory() throws Exception {
        assertThat(JAR).as("the shaded CLI jar, built in the package phase").isRegularFile();
        Path huge = dir.resolve("huge.bundle");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(64L << 20); // sparse: costs no disk, but 64 MiB to read into a 16 MiB heap
        }

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m", "-jar", JAR.toString(), "show", "--bundle", huge.toString()).start();
        process.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process, false));
        String err = new String(readAll(process, true), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("fleetkey-device finished").isTrue();

        assertThat(process.exitValue()).as(err).isEqualTo(ExitCodes.INTERNAL_ERROR).isNotEqualTo(ExitCodes.USAGE);
        assertThat(err.strip()).startsWith("fleetkey-device: out of memory").contains("-Xmx").doesNotContain("\tat ");
        assertThat(out.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    private static byte[] readAll(Process process, boolean err) {
        try {
            return (err ? process.getErrorStream() : process.getInputStream()).readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
