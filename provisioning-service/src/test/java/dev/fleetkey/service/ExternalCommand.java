package dev.fleetkey.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the tests use as an independent peer ({@code openssl}, {@code coap-client-gnutls}): run once
 * in a directory with nothing on its standard input, stdout and stderr merged, given at most 60 s.
 */
public final class ExternalCommand {

    /** What it printed (stdout and stderr) and how it exited. */
    public record Result(int exitCode, String output) {

        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private ExternalCommand() {
    }

    /** Runs {@code command} in {@code dir}; {@code whenMissing} says what to install if it cannot be started. */
    public static Result run(Path dir, List<String> command, String whenMissing) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command.get(0) + " (" + whenMissing + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
