package dev.fleetkey.bundle.credentials;

import java.security.MessageDigest;

/** Comparison of optional secrets without a timing side channel on their content. */
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
}
