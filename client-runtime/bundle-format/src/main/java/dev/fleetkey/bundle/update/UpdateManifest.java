package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.TemplateRef;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The signed description of an update package (FORMAT.md, "Update packages").
 *
 * @param template the product line (template id) and the template version the fleet bundle was made from
 * @param hardwareClass the hardware the image is built for, e.g. {@code rev-b}
 * @param firmwareVersion the image's version as the build names it, e.g. {@code 1.2.0}
 * @param sequence the anti-rollback counter, per product line; equal to the fleet bundle's sequence
 * @param notBefore a device refuses the package before this instant (less its clock skew)
 * @param notAfter a device refuses the package after this instant; null when it does not expire
 * @param components the image first, then the fleet bundle, then device bundles ordered by device
 */
public record UpdateManifest(TemplateRef template, String hardwareClass, String firmwareVersion, long sequence,
                             Instant notBefore, Instant notAfter, List<PackageComponent> components) {

    /** The manifest format version this code reads and writes. */
    public static final int FORMAT_VERSION = 1;

    public UpdateManifest {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(notBefore, "notBefore");
        requireName(hardwareClass, "hardware class");
        requireName(firmwareVersion, "firmware version");
        if (sequence < 1) {
            throw new IllegalArgumentException("package sequence must be >= 1, was " + sequence);
        }
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        if (notAfter != null) {
            notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
            if (!notAfter.isAfter(notBefore)) {
                throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
            }
        }
        components = List.copyOf(components);
        if (components.size() < 2 || components.get(0).role() != ComponentRole.FIRMWARE_IMAGE
                || components.get(1).role() != ComponentRole.FLEET_BUNDLE) {
            throw new IllegalArgumentException("a package holds the firmware image, then the fleet bundle, then"
                    + " optional device bundles");
        }
        Set<String> devices = new HashSet<>();
        String previous = "";
        for (PackageComponent c : components.subList(2, components.size())) {
            if (c.role() != ComponentRole.DEVICE_BUNDLE || !devices.add(c.name()) || c.name().compareTo(previous) <= 0) {
                throw new IllegalArgumentException("after the image and the fleet bundle come only device bundles,"
                        + " one per device, ordered by device");
            }
            previous = c.name();
        }
    }

    /** The product line: the template id. */
    public String productLine() {
        return template.id();
    }

    /** The firmware image's description. */
    public PackageComponent image() {
        return components.get(0);
    }

    /** The fleet bundle's description. */
    public PackageComponent fleetBundle() {
        return components.get(1);
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank() || value.length() > 64 || !value.matches("[A-Za-z0-9._+-]+")) {
            throw new IllegalArgumentException(what + " '" + value + "' must be 1-64 characters of letters, digits,"
                    + " '.', '_', '+' or '-'");
        }
    }
}
