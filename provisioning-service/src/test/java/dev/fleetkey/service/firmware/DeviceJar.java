package dev.fleetkey.service.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The shaded {@code fleetkey-device.jar} run as a separate process, as a pipeline or a device runs it. */
final class DeviceJar {

    static final Path JAR = Path.of("..", "client-runtime", "cli", "target", "fleetkey-device.jar");

    /** What one run produced. */
    record Run(int exitCode, String out, String err) {
    }

    private DeviceJar() {
    }

    static Run run(Map<String, String> environment, String... args) {
        try {
            return start(environment, args).get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fleetkey-device " + String.join(" ", args) + " did not finish", e);
        }
    }

    static CompletableFuture<Run> start(Map<String, String> environment, String... args) {
        assertThat(JAR).as("the shaded CLI jar; build client-runtime/cli with 'package' first").isRegularFile();
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-jar", JAR.toString()));
        line.addAll(List.of(args));
        return CompletableFuture.supplyAsync(() -> {
            try {
                ProcessBuilder builder = new ProcessBuilder(line);
                builder.environment().putAll(environment);
                Process process = builder.start();
                process.getOutputStream().close();
                CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                    try {
                        return process.getErrorStream().readAllBytes();
                    } catch (IOException e) {
                        return new byte[0];
                    }
                });
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                        new String(err.get(), StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
