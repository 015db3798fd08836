package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.WireCoded;

/** What a component of an update package is; the code is its wire value in the manifest. */
public enum ComponentRole implements WireCoded {
    /** The firmware image the bootloader installs; opaque to Fleetkey. */
    FIRMWARE_IMAGE(1),
    /** The product line's signed fleet config bundle. */
    FLEET_BUNDLE(2),
    /** A signed device bundle (new credentials for rotation or recovery), named by its device's EUI-64. */
    DEVICE_BUNDLE(3);

    private final int code;

    ComponentRole(int code) {
        this.code = code;
    }

    /** The wire value. */
    @Override
    public int code() {
        return code;
    }

    /** The role with wire value {@code code}, or null when there is none. */
    static ComponentRole ofCode(long code) {
        return WireCoded.byCode(ComponentRole.class, code).orElse(null);
    }
}
