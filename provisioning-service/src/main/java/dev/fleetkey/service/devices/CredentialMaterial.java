package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Sha256;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The public part of a stored device credential, by mode: each mode has its fields and no others. The
 * secret (a PSK, or a private key the service made) is sealed beside it in {@link DeviceCredential}.
 */
public sealed interface CredentialMaterial
        permits CredentialMaterial.Psk, CredentialMaterial.RawPublicKey, CredentialMaterial.Certificate {

    /** The credential mode, as stored in {@code device_credentials.mode}. */
    CredentialMode mode();

    /**
     * PSK: the identity the device sends; the key is sealed.
     *
     * @param identity opaque bytes, unique across the fleet
     */
    record Psk(byte[] identity) implements CredentialMaterial {
        public Psk {
            if (identity == null || identity.length == 0) {
                throw new IllegalArgumentException("A PSK credential needs its identity");
            }
            identity = identity.clone();
        }

        @Override
        public byte[] identity() {
            return identity.clone();
        }

        @Override
        public CredentialMode mode() {
            return CredentialMode.PSK;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Psk p && Arrays.equals(identity, p.identity);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(identity);
        }

        @Override
        public String toString() {
            return "identity " + HexFormat.of().formatHex(identity);
        }
    }

    /**
     * RPK (RFC 7250): the device's public key, pinned by its SHA-256.
     *
     * @param publicKey SubjectPublicKeyInfo DER
     * @param keyOrigin who made the key pair
     */
    record RawPublicKey(byte[] publicKey, DeviceCredential.KeyOrigin keyOrigin) implements CredentialMaterial {
        public RawPublicKey {
            publicKey = requirePublicKey(publicKey);
            Objects.requireNonNull(keyOrigin, "keyOrigin");
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        /** SHA-256 of the SubjectPublicKeyInfo: the pin. */
        public byte[] publicKeySha256() {
            return Sha256.digest(publicKey);
        }

        @Override
        public CredentialMode mode() {
            return CredentialMode.RAW_PUBLIC_KEY;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RawPublicKey r && Arrays.equals(publicKey, r.publicKey)
                    && keyOrigin == r.keyOrigin;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(publicKey);
        }

        @Override
        public String toString() {
            return "key sha256 " + HexFormat.of().formatHex(publicKeySha256()) + " made by " + keyOrigin;
        }
    }

    /**
     * X.509: the device's client certificate and its public key.
     *
     * @param publicKey   SubjectPublicKeyInfo DER of the certified key
     * @param certificate the client certificate DER
     * @param serialHex   the certificate's serial in lower-case hex
     * @param keyOrigin   who made the key pair
     */
    record Certificate(byte[] publicKey, byte[] certificate, String serialHex, DeviceCredential.KeyOrigin keyOrigin)
            implements CredentialMaterial {
        public Certificate {
            publicKey = requirePublicKey(publicKey);
            if (certificate == null || certificate.length == 0) {
                throw new IllegalArgumentException("An X.509 credential needs its certificate");
            }
            certificate = certificate.clone();
            Objects.requireNonNull(serialHex, "serialHex");
            Objects.requireNonNull(keyOrigin, "keyOrigin");
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] certificate() {
            return certificate.clone();
        }

        /** SHA-256 of the SubjectPublicKeyInfo. */
        public byte[] publicKeySha256() {
            return Sha256.digest(publicKey);
        }

        @Override
        public CredentialMode mode() {
            return CredentialMode.X509;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Certificate c && Arrays.equals(certificate, c.certificate)
                    && Arrays.equals(publicKey, c.publicKey) && serialHex.equals(c.serialHex)
                    && keyOrigin == c.keyOrigin;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(certificate);
        }

        @Override
        public String toString() {
            return "serial " + serialHex + " key made by " + keyOrigin;
        }
    }

    private static byte[] requirePublicKey(byte[] publicKey) {
        if (publicKey == null || publicKey.length == 0) {
            throw new IllegalArgumentException("A key-pair credential needs its SubjectPublicKeyInfo");
        }
        return publicKey.clone();
    }
}
