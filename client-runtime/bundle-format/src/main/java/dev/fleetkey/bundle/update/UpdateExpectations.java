package dev.fleetkey.bundle.update;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a device expects of a package: its own product line and hardware class, a sequence above the
 * last it accepted, and validity at its clock.
 *
 * @param productLine the device's product line (template id)
 * @param hardwareClass the device's hardware class
 * @param lastAcceptedSequence the product line's last accepted sequence, -1 when none
 * @param now the device's time
 * @param clockSkew how far in the future not-before may lie
 */
public record UpdateExpectations(String productLine, String hardwareClass, long lastAcceptedSequence, Instant now,
                                 Duration clockSkew) {

    public UpdateExpectations {
        Objects.requireNonNull(productLine, "productLine");
        Objects.requireNonNull(hardwareClass, "hardwareClass");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(clockSkew, "clockSkew");
    }
}
