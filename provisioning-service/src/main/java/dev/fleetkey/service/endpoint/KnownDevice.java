package dev.fleetkey.service.endpoint;

import java.time.Instant;
import java.util.Objects;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.PskCredential;

/**
 * A device the endpoint accepts, with the PSK it authenticates with when it uses one. {@link #toString()}
 * never shows the key.
 *
 * @param eui64       the device
 * @param psk         the PSK identity given to the device and its key, or null for a device found by key or certificate
 * @param usableUntil when the credential stops being usable without any further change (the end of a rotation's
 *                    overlap), or null while it is the device's current credential; a cache must not trust the
 *                    answer past it
 */
public record KnownDevice(Eui64 eui64, PskCredential psk, Instant usableUntil) {

    /** Checks that the device is named. */
    public KnownDevice {
        Objects.requireNonNull(eui64, "eui64");
    }

    /** A device whose credential has no end yet. */
    public KnownDevice(Eui64 eui64, PskCredential psk) {
        this(eui64, psk, null);
    }

    /** A device found by its raw public key or certificate: no PSK involved. */
    public static KnownDevice withoutPsk(Eui64 eui64) {
        return new KnownDevice(eui64, null, null);
    }

    /** Whether the credential is still usable at {@code now}, as far as time alone decides. */
    boolean usableAt(Instant now) {
        return usableUntil == null || now.isBefore(usableUntil);
    }

    @Override
    public String toString() {
        return "KnownDevice[" + eui64 + ", " + (psk == null ? "no psk" : psk)
                + (usableUntil == null ? "" : ", until " + usableUntil) + "]";
    }
}
