package dev.fleetkey.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link SecureSession} treats resumption beyond what the bundle says.
 *
 * @param stateDirectory where the session is saved on close and loaded on open, so a restarted process
 *                       resumes it; empty keeps sessions in memory only
 * @param maxSessionAge  a session whose full handshake is older than this is not resumed
 */
public record SessionOptions(Optional<Path> stateDirectory, Duration maxSessionAge) {

    /** Checks the values. */
    public SessionOptions {
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(maxSessionAge, "maxSessionAge");
        if (maxSessionAge.isNegative()) {
            throw new IllegalArgumentException("maximum session age must not be negative, was " + maxSessionAge);
        }
    }

    /** No state directory, sessions resumed for up to 24 hours. */
    public static SessionOptions defaults() {
        return new SessionOptions(Optional.empty(), Duration.ofHours(24));
    }

    /** These options with sessions saved in {@code directory}. */
    public SessionOptions withStateDirectory(Path directory) {
        return new SessionOptions(Optional.of(directory), maxSessionAge);
    }

    /** These options with another maximum session age. */
    public SessionOptions withMaxSessionAge(Duration age) {
        return new SessionOptions(stateDirectory, age);
    }
}
