package dev.fleetkey.service.endpoint;

import java.util.Objects;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.PskCredential;

/**
 * A device the endpoint accepts, with the PSK it authenticates with when it uses one. {@link #toString()}
 * never shows the key.
 *
 * @param eui64 the device
 * @param psk   the PSK identity given to the device and its key, or null for a device found by key or certificate
 */
public record KnownDevice(Eui64 eui64, PskCredential psk) {

    /** Checks that the device is named. */
    public KnownDevice {
        Objects.requireNonNull(eui64, "eui64");
    }

    /** A device found by its raw public key or certificate: no PSK involved. */
    public static KnownDevice withoutPsk(Eui64 eui64) {
        return new KnownDevice(eui64, null);
    }

    @Override
    public String toString() {
        return "KnownDevice[" + eui64 + ", " + (psk == null ? "no psk" : psk) + "]";
    }
}
