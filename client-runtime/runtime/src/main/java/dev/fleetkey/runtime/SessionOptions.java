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
 * @param clientIdentity the device's key and certificate chain to use instead of the bundle's, for a
 *                       certificate server (a renewed certificate, a key in a PKCS#11 token); empty: the bundle's
 */
public record SessionOptions(Optional<Path> stateDirectory, Duration maxSessionAge,
                             Optional<ClientIdentity> clientIdentity) {

    /** Checks the values. */
    public SessionOptions {
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(maxSessionAge, "maxSessionAge");
        Objects.requireNonNull(clientIdentity, "clientIdentity");
        if (maxSessionAge.isNegative()) {
            throw new IllegalArgumentException("maximum session age must not be negative, was " + maxSessionAge);
        }
    }

    /** Options using the bundle's own credential. */
    public SessionOptions(Optional<Path> stateDirectory, Duration maxSessionAge) {
        this(stateDirectory, maxSessionAge, Optional.empty());
    }

    /** No state directory, sessions resumed for up to 24 hours. */
    public static SessionOptions defaults() {
        return new SessionOptions(Optional.empty(), Duration.ofHours(24));
    }

    /** These options with sessions saved in {@code directory}. */
    public SessionOptions withStateDirectory(Path directory) {
        return new SessionOptions(Optional.of(directory), maxSessionAge, clientIdentity);
    }

    /** These options with another maximum session age. */
    public SessionOptions withMaxSessionAge(Duration age) {
        return new SessionOptions(stateDirectory, age, clientIdentity);
    }

    /** These options with the device's key and chain taken from {@code identity} instead of the bundle. */
    public SessionOptions withClientIdentity(ClientIdentity identity) {
        return new SessionOptions(stateDirectory, maxSessionAge, Optional.of(identity));
    }
}
