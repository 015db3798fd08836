package dev.fleetkey.service.endpoint;

import java.util.Arrays;
import java.util.Objects;

import dev.fleetkey.bundle.Eui64;

/**
 * A device the endpoint accepts, with the PSK it authenticates with when it uses one. The arrays are
 * copied in and out (callers may wipe theirs) and {@link #toString()} never shows the key.
 *
 * @param eui64       the device
 * @param pskIdentity the PSK identity given to the device, or null for a device found by key or certificate
 * @param psk         the pre-shared key, or null likewise
 */
public record KnownDevice(Eui64 eui64, byte[] pskIdentity, byte[] psk) {

    /** Checks and copies. */
    public KnownDevice {
        Objects.requireNonNull(eui64, "eui64");
        boolean byKeyOrCertificate = pskIdentity == null && psk == null;
        if (!byKeyOrCertificate) {
            if (pskIdentity == null || pskIdentity.length == 0) {
                throw new IllegalArgumentException("device " + eui64 + ": PSK identity is empty");
            }
            if (psk == null || psk.length == 0) {
                throw new IllegalArgumentException("device " + eui64 + ": PSK is empty");
            }
            pskIdentity = pskIdentity.clone();
            psk = psk.clone();
        }
    }

    /** A device found by its raw public key or certificate: no PSK involved. */
    public static KnownDevice withoutPsk(Eui64 eui64) {
        return new KnownDevice(eui64, null, null);
    }

    /** The PSK identity; a copy, or null. */
    @Override
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    /** The pre-shared key; a copy the caller should wipe after use, or null. */
    @Override
    public byte[] psk() {
        return psk == null ? null : psk.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KnownDevice
                && ((KnownDevice) other).eui64.equals(eui64)
                && Arrays.equals(((KnownDevice) other).pskIdentity, pskIdentity)
                && Arrays.equals(((KnownDevice) other).psk, psk);
    }

    @Override
    public int hashCode() {
        return 31 * eui64.hashCode() + Arrays.hashCode(pskIdentity);
    }

    @Override
    public String toString() {
        return pskIdentity == null ? "KnownDevice[" + eui64 + ", no psk]"
                : "KnownDevice[" + eui64 + ", psk identity " + pskIdentity.length + " bytes, psk redacted]";
    }
}
