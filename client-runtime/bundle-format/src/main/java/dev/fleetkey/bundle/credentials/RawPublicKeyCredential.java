package dev.fleetkey.bundle.credentials;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Sha256;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An RFC 7250 raw public key: a P-256 key pair whose SubjectPublicKeyInfo the peer pins.
 *
 * @param privateKey           PKCS#8 DER, or {@code null} when the key was made on the device
 * @param subjectPublicKeyInfo SPKI DER of the public key
 */
public record RawPublicKeyCredential(byte[] privateKey, byte[] subjectPublicKeyInfo) implements Credential {

    /** Checks that the public key is there, and copies. */
    public RawPublicKeyCredential {
        if (subjectPublicKeyInfo == null || subjectPublicKeyInfo.length == 0) {
            throw new IllegalArgumentException("A raw public key needs its SubjectPublicKeyInfo");
        }
        privateKey = Secrets.copy(privateKey);
        subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
    }

    /** The private key as PKCS#8 DER, or null; a copy the caller should wipe. */
    @Override
    public byte[] privateKey() {
        return Secrets.copy(privateKey);
    }

    /** The SubjectPublicKeyInfo DER; a copy. */
    @Override
    public byte[] subjectPublicKeyInfo() {
        return subjectPublicKeyInfo.clone();
    }

    /** SHA-256 of the SPKI DER: the pin a peer stores. */
    public byte[] fingerprint() {
        return Sha256.digest(subjectPublicKeyInfo);
    }

    @Override
    public CredentialMode mode() {
        return CredentialMode.RAW_PUBLIC_KEY;
    }

    @Override
    public boolean holdsSecret() {
        return privateKey != null;
    }

    @Override
    public void wipe() {
        Secrets.wipe(privateKey);
    }

    /** Equal public keys and private keys; the private keys are compared in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RawPublicKeyCredential r && Arrays.equals(subjectPublicKeyInfo, r.subjectPublicKeyInfo)
                && Secrets.equal(privateKey, r.privateKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(subjectPublicKeyInfo);
    }

    @Override
    public String toString() {
        return "RawPublicKeyCredential[sha256=" + HexFormat.of().formatHex(fingerprint()) + ", privateKey="
                + (privateKey == null ? "on device" : "<hidden>") + "]";
    }
}
