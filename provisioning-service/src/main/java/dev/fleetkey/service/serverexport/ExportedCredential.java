package dev.fleetkey.service.serverexport;

import java.util.Arrays;

/**
 * One credential a device may use on the exported server now: a PSK (identity and a copy of the key, wiped after
 * the export is sealed), a raw public key, or a certificate's public key.
 *
 * @param eui64    canonical form, 00-11-22-FF-FE-33-44-55 (also the certificate's CN)
 * @param endpoint the device's RFC 9039 URN
 * @param mode     psk, rpk or x509
 */
record ExportedCredential(String eui64, String endpoint, String mode, byte[] pskIdentity, byte[] psk,
        byte[] subjectPublicKeyInfo, String certificateSerialHex, String certificatePem) {

    /** Overwrites the PSK copy. */
    void wipe() {
        if (psk != null) {
            Arrays.fill(psk, (byte) 0);
        }
    }
}
