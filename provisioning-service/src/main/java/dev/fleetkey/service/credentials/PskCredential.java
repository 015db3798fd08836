package dev.fleetkey.service.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A pre-shared key and the identity the device sends for it. The identity is public (it crosses the wire
 * in the ClientKeyExchange) and is compared bit for bit; the key is secret.
 *
 * @param identity opaque bytes, unique across the fleet
 * @param key      16-64 secret bytes
 */
public record PskCredential(byte[] identity, byte[] key) implements IssuedCredential {

    public PskCredential {
        if (identity == null || identity.length == 0) {
            throw new IllegalArgumentException("A PSK identity must not be empty");
        }
        if (key == null || key.length < PskKeyGenerator.MIN_LENGTH || key.length > PskKeyGenerator.MAX_LENGTH) {
            throw new IllegalArgumentException("A PSK must be " + PskKeyGenerator.MIN_LENGTH + "-"
                    + PskKeyGenerator.MAX_LENGTH + " bytes long");
        }
        identity = identity.clone();
        key = key.clone();
    }

    @Override
    public byte[] identity() {
        return identity.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean holdsSecret() {
        return true;
    }

    /** The identity for logs and UIs: as text if it is printable ASCII, else as hex. */
    public String printableIdentity() {
        return printable(identity);
    }

    static String printable(byte[] identity) {
        for (byte b : identity) {
            if (b < 0x20 || b > 0x7E) {
                return "0x" + HexFormat.of().formatHex(identity);
            }
        }
        return new String(identity, StandardCharsets.US_ASCII);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PskCredential && Arrays.equals(identity, ((PskCredential) o).identity)
                && MessageDigest.isEqual(key, ((PskCredential) o).key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(identity);
    }

    @Override
    public String toString() {
        return "PskCredential[identity=" + printableIdentity() + ", key=<" + key.length + " bytes hidden>]";
    }
}
