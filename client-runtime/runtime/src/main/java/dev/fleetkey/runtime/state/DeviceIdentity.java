package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.Eui64;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a device is, fixed at installation: it accepts only update packages for its product line and
 * hardware class, and only device bundles for its EUI-64.
 *
 * @param productLine the template id its bundles are made from
 * @param hardwareClass the hardware it runs on, e.g. {@code rev-b}
 * @param device its EUI-64
 */
public record DeviceIdentity(String productLine, String hardwareClass, Eui64 device) {

    static final String FILE_NAME = "device-identity";

    /** Checks the values. */
    public DeviceIdentity {
        Objects.requireNonNull(productLine, "productLine");
        Objects.requireNonNull(device, "device");
        if (hardwareClass == null || !hardwareClass.matches("[A-Za-z0-9._+-]{1,64}")) {
            throw new IllegalArgumentException("hardware class '" + hardwareClass + "' must be 1-64 characters of"
                    + " letters, digits, '.', '_', '+' or '-'");
        }
    }

    byte[] encode() {
        return ("# Fleetkey device identity, written at installation. Do not edit.\n"
                + "product-line=" + productLine + "\nhardware-class=" + hardwareClass + "\ndevice="
                + device.canonical() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static DeviceIdentity decode(byte[] bytes) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        String productLine = values.get("product-line");
        String device = values.get("device");
        if (productLine == null || device == null) {
            throw new IllegalArgumentException("product-line or device is missing");
        }
        return new DeviceIdentity(productLine, values.get("hardware-class"), Eui64.parse(device));
    }
}
