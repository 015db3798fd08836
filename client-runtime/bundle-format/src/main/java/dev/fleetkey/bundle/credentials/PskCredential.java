package dev.fleetkey.bundle.credentials;

import dev.fleetkey.bundle.CredentialMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A pre-shared key and the identity the device sends for it. The identity is public (it crosses the wire
 * in the ClientKeyExchange) and is compared bit for bit (RFC 7925 section 4); the key is secret.
 *
 * @param identity opaque bytes, not empty
 * @param key      at least {@value #MIN_KEY_LENGTH} secret bytes
 */
public record PskCredential(byte[] identity, byte[] key) implements Credential {

    /** 128 bits, what the profile asks for at least. */
    public static final int MIN_KEY_LENGTH = 16;

    /** Checks the values and copies them. */
    public PskCredential {
        if (identity == null || identity.length == 0) {
            throw new IllegalArgumentException("A PSK identity must not be empty");
        }
        if (key == null || key.length < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("A PSK must be at least " + MIN_KEY_LENGTH + " bytes (128 bits) long");
        }
        identity = identity.clone();
        key = key.clone();
    }

    /** The identity; a copy. */
    @Override
    public byte[] identity() {
        return identity.clone();
    }

    /** The key; a copy the caller should wipe. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public CredentialMode mode() {
        return CredentialMode.PSK;
    }

    @Override
    public boolean holdsSecret() {
        return true;
    }

    @Override
    public void wipe() {
        Arrays.fill(key, (byte) 0);
    }

    /** The identity for logs and UIs: as text if it is printable ASCII, else as {@code 0x}-prefixed hex. */
    public String printableIdentity() {
        return printable(identity);
    }

    /** {@code identity} as {@link #printableIdentity()} shows it. */
    public static String printable(byte[] identity) {
        for (byte b : identity) {
            if (b < 0x20 || b > 0x7E) {
                return "0x" + HexFormat.of().formatHex(identity);
            }
        }
        return new String(identity, StandardCharsets.US_ASCII);
    }

    /** Equal identities and keys; the keys are compared in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PskCredential p && Arrays.equals(identity, p.identity) && MessageDigest.isEqual(key, p.key);
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
