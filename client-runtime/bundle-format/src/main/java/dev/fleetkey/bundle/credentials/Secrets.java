package dev.fleetkey.bundle.credentials;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Optional secrets (a private key made by the service, or none when the device made it): copied in and
 * out, zeroed on wipe, compared without a timing side channel on their content.
 */
final class Secrets {

    private Secrets() {
    }

    /** Both null, or both present with equal content compared in constant time. */
    static boolean equal(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == b;
        }
        return MessageDigest.isEqual(a, b);
    }

    /** A copy of an optional secret, or null. */
    static byte[] copy(byte[] secret) {
        return secret == null ? null : secret.clone();
    }

    /** Zeroes an optional secret in place. */
    static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
