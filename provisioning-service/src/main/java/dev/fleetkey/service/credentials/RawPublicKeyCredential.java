package dev.fleetkey.service.credentials;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An RFC 7250 raw public key: a P-256 key pair whose SubjectPublicKeyInfo is pinned by the peer.
 *
 * @param privateKey           PKCS#8 DER, or {@code null} when the key was made on the device
 * @param subjectPublicKeyInfo SPKI DER of the P-256 public key
 */
public record RawPublicKeyCredential(byte[] privateKey, byte[] subjectPublicKeyInfo) implements IssuedCredential {

    public RawPublicKeyCredential {
        if (subjectPublicKeyInfo == null || subjectPublicKeyInfo.length == 0) {
            throw new IllegalArgumentException("A raw public key needs its SubjectPublicKeyInfo");
        }
        privateKey = privateKey == null ? null : privateKey.clone();
        subjectPublicKeyInfo = subjectPublicKeyInfo.clone();
    }

    @Override
    public byte[] privateKey() {
        return privateKey == null ? null : privateKey.clone();
    }

    @Override
    public byte[] subjectPublicKeyInfo() {
        return subjectPublicKeyInfo.clone();
    }

    /** SHA-256 of the SPKI DER: the pin a peer stores. */
    public byte[] fingerprint() {
        return sha256(subjectPublicKeyInfo);
    }

    @Override
    public boolean holdsSecret() {
        return privateKey != null;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawPublicKeyCredential
                && Arrays.equals(subjectPublicKeyInfo, ((RawPublicKeyCredential) o).subjectPublicKeyInfo)
                && MessageDigest.isEqual(privateKey == null ? new byte[0] : privateKey,
                        ((RawPublicKeyCredential) o).privateKey == null ? new byte[0] : ((RawPublicKeyCredential) o).privateKey);
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
