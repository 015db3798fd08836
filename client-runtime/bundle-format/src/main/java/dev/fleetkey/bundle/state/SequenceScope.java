package dev.fleetkey.bundle.state;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.Eui64;
import java.util.Objects;

/**
 * What one anti-rollback counter belongs to: device bundles count per device, fleet bundles per
 * product line (the template id their payload names).
 *
 * @param kind the bundle kind counted
 * @param id the device's canonical EUI-64, or the product line
 */
public record SequenceScope(BundleKind kind, String id) {

    public SequenceScope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a sequence scope needs a device or product line");
        }
    }

    /** Device bundles for {@code device}. */
    public static SequenceScope device(Eui64 device) {
        return new SequenceScope(BundleKind.DEVICE, device.canonical());
    }

    /** Fleet bundles for the product line {@code productLine} (a template id). */
    public static SequenceScope fleet(String productLine) {
        return new SequenceScope(BundleKind.FLEET, productLine);
    }

    /** The device of a device scope. */
    Eui64 deviceId() {
        return kind == BundleKind.DEVICE ? Eui64.parse(id) : null;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + " " + id;
    }
}
