package dev.fleetkey.service.devices;

import java.util.Arrays;

/**
 * A key sealed for storage: authenticated ciphertext and the id of the key-encryption key that made it,
 * so keys can be rotated later without guessing which one opens a row.
 */
public record SealedKey(String keyId, byte[] ciphertext) {

    public SealedKey {
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedKey s && keyId.equals(s.keyId) && Arrays.equals(ciphertext, s.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * keyId.hashCode() + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "SealedKey[" + keyId + ", " + ciphertext.length + " bytes]";
    }
}
