package dev.fleetkey.bundle;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a verifier expects of a bundle beyond a good signature.
 *
 * @param expectedKind the kind to accept, or null to accept either
 * @param expectedDevice the device a device bundle must be bound to, or null not to check
 * @param lastAcceptedSequence the sequence last accepted for this kind (and device); -1 when none
 * @param now the time to check validity at
 * @param clockSkew how far in the future {@code issuedAt} may lie
 */
public record VerificationContext(BundleKind expectedKind, Eui64 expectedDevice, long lastAcceptedSequence,
                                  Instant now, Duration clockSkew) {

    /** Default tolerance for a device clock running behind the service's. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

    public VerificationContext {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(clockSkew, "clockSkew");
    }

    /** A device bundle for {@code device}, newer than {@code lastAcceptedSequence}, checked now. */
    public static VerificationContext forDevice(Eui64 device, long lastAcceptedSequence) {
        return new VerificationContext(BundleKind.DEVICE, Objects.requireNonNull(device, "device"),
                lastAcceptedSequence, Instant.now(), DEFAULT_CLOCK_SKEW);
    }

    /** A fleet bundle newer than {@code lastAcceptedSequence}, checked now. */
    public static VerificationContext forFleet(long lastAcceptedSequence) {
        return new VerificationContext(BundleKind.FLEET, null, lastAcceptedSequence, Instant.now(), DEFAULT_CLOCK_SKEW);
    }

    /** Any kind, any device, no anti-rollback state: signature, format and validity only. */
    public static VerificationContext standalone() {
        return new VerificationContext(null, null, -1, Instant.now(), DEFAULT_CLOCK_SKEW);
    }

    /** The same expectations checked at {@code instant}. */
    public VerificationContext at(Instant instant) {
        return new VerificationContext(expectedKind, expectedDevice, lastAcceptedSequence, instant, clockSkew);
    }
}
