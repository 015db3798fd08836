package dev.fleetkey.bundle;

import dev.fleetkey.bundle.credentials.PskCredential;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a device needs to authenticate itself to one server and to authenticate that server, by
 * credential mode. Secret parts (PSK, private key) are {@code null} in fleet bundles, and in device
 * bundles whose keys were made on the device. Records here copy arrays in and out and never print
 * secrets.
 */
public sealed interface ServerCredentials {

    /** The credential mode these credentials serve. */
    CredentialMode mode();

    /** Whether a secret (PSK or private key) is present. */
    boolean hasSecret();

    /**
     * A pre-shared key as a bundle entry carries it: both parts may be missing (a fleet bundle), or the key
     * alone (sealed into the bundle's secrets). The value itself is a {@link PskCredential}.
     *
     * @param identity the PSK identity, or null in a fleet bundle
     * @param key the PSK, or null in a fleet bundle
     */
    record Psk(byte[] identity, byte[] key) implements ServerCredentials {
        public Psk {
            identity = Bytes.copy(identity);
            key = Bytes.copy(key);
        }

        /** An entry carrying {@code credential} whole. */
        public Psk(PskCredential credential) {
            this(credential.identity(), credential.key());
        }

        /**
         * The PSK this entry carries.
         *
         * @throws IllegalArgumentException if the entry lacks the identity or the key, or they are not a valid PSK
         */
        public PskCredential credential() {
            if (identity == null || key == null) {
                throw new IllegalArgumentException("the server entry carries no " + (identity == null ? "PSK identity"
                        : "PSK") + ": use the device's own credential bundle");
            }
            return new PskCredential(identity, key);
        }

        @Override
        public byte[] identity() {
            return Bytes.copy(identity);
        }

        @Override
        public byte[] key() {
            return Bytes.copy(key);
        }

        @Override
        public CredentialMode mode() {
            return CredentialMode.PSK;
        }

        @Override
        public boolean hasSecret() {
            return key != null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Psk p && Arrays.equals(identity, p.identity) && Arrays.equals(key, p.key);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(identity) + Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "Psk[identity=" + (identity == null ? "none" : identity.length + " bytes")
                    + ", key=" + (key == null ? "none" : "(redacted)") + "]";
        }
    }

    /**
     * Raw public keys (RFC 7250). The server is pinned by its full SubjectPublicKeyInfo or by the
     * SHA-256 hash of it; either list may be empty, not both.
     *
     * @param clientPrivateKey PKCS#8 DER, or null (fleet bundle, or key made on the device)
     * @param clientPublicKey SubjectPublicKeyInfo DER, or null in a fleet bundle
     * @param serverPublicKeys SubjectPublicKeyInfo DER of the accepted server keys
     * @param serverKeyPins SHA-256 of the accepted server keys' SubjectPublicKeyInfo
     */
    record RawPublicKey(byte[] clientPrivateKey, byte[] clientPublicKey, List<byte[]> serverPublicKeys,
                        List<byte[]> serverKeyPins) implements ServerCredentials {
        public RawPublicKey {
            clientPrivateKey = Bytes.copy(clientPrivateKey);
            clientPublicKey = Bytes.copy(clientPublicKey);
            serverPublicKeys = Bytes.copy(serverPublicKeys);
            serverKeyPins = Bytes.copy(serverKeyPins);
        }

        @Override
        public byte[] clientPrivateKey() {
            return Bytes.copy(clientPrivateKey);
        }

        @Override
        public byte[] clientPublicKey() {
            return Bytes.copy(clientPublicKey);
        }

        @Override
        public CredentialMode mode() {
            return CredentialMode.RAW_PUBLIC_KEY;
        }

        @Override
        public boolean hasSecret() {
            return clientPrivateKey != null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RawPublicKey r && Arrays.equals(clientPrivateKey, r.clientPrivateKey)
                    && Arrays.equals(clientPublicKey, r.clientPublicKey)
                    && Bytes.equal(serverPublicKeys, r.serverPublicKeys) && Bytes.equal(serverKeyPins, r.serverKeyPins);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(clientPrivateKey), Arrays.hashCode(clientPublicKey),
                    Bytes.hash(serverPublicKeys), Bytes.hash(serverKeyPins));
        }

        @Override
        public String toString() {
            return "RawPublicKey[clientPrivateKey=" + (clientPrivateKey == null ? "none" : "(redacted)")
                    + ", serverPublicKeys=" + serverPublicKeys.size() + ", serverKeyPins=" + serverKeyPins.size() + "]";
        }
    }

    /**
     * X.509 certificates.
     *
     * @param clientPrivateKey PKCS#8 DER, or null (fleet bundle, or key made on the device)
     * @param clientChain DER certificates, leaf first, without the root; empty in a fleet bundle
     * @param trustAnchors DER certificates the server's chain must end at
     */
    record Certificates(byte[] clientPrivateKey, List<byte[]> clientChain, List<byte[]> trustAnchors)
            implements ServerCredentials {
        public Certificates {
            clientPrivateKey = Bytes.copy(clientPrivateKey);
            clientChain = Bytes.copy(clientChain);
            trustAnchors = Bytes.copy(trustAnchors);
        }

        @Override
        public byte[] clientPrivateKey() {
            return Bytes.copy(clientPrivateKey);
        }

        @Override
        public CredentialMode mode() {
            return CredentialMode.X509;
        }

        @Override
        public boolean hasSecret() {
            return clientPrivateKey != null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Certificates c && Arrays.equals(clientPrivateKey, c.clientPrivateKey)
                    && Bytes.equal(clientChain, c.clientChain) && Bytes.equal(trustAnchors, c.trustAnchors);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(clientPrivateKey), Bytes.hash(clientChain), Bytes.hash(trustAnchors));
        }

        @Override
        public String toString() {
            return "Certificates[clientPrivateKey=" + (clientPrivateKey == null ? "none" : "(redacted)")
                    + ", clientChain=" + clientChain.size() + ", trustAnchors=" + trustAnchors.size() + "]";
        }
    }
}
