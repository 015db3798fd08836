package dev.fleetkey.runtime.dtls;

import dev.fleetkey.bundle.credentials.PskCredential;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * How this device authenticates to one server and how it authenticates that server, by credential mode.
 * Holds secrets: arrays are copied in and out and {@code toString()} never shows a key.
 */
public sealed interface ClientCredentials {

    /**
     * A pre-shared key ({@code TLS_PSK_WITH_AES_128_CCM_8}).
     *
     * @param credential the PSK identity, sent as it is, and the key; held as given, so the caller keeps
     *                   the right to {@link PskCredential#wipe() wipe} it once the client is closed
     */
    record Psk(PskCredential credential) implements ClientCredentials {

        /** Checks that there is a credential. */
        public Psk {
            Objects.requireNonNull(credential, "credential");
        }

        @Override
        public String toString() {
            return "Psk[" + credential + "]";
        }
    }

    /**
     * Raw public keys (RFC 7250) with {@code TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8}. The server is accepted
     * when its key is one of {@code serverKeys} or its SubjectPublicKeyInfo hashes (SHA-256) to one of
     * {@code serverKeyPins}.
     *
     * @param privateKey    this device's P-256 private key
     * @param publicKey     this device's public key
     * @param serverKeys    accepted server keys
     * @param serverKeyPins SHA-256 of accepted servers' SubjectPublicKeyInfo (32 bytes each)
     */
    record RawKey(PrivateKey privateKey, PublicKey publicKey, List<PublicKey> serverKeys, List<byte[]> serverKeyPins)
            implements ClientCredentials {

        /** Checks that some server key is pinned, and copies. */
        public RawKey {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(publicKey, "publicKey");
            serverKeys = List.copyOf(serverKeys);
            serverKeyPins = serverKeyPins.stream().map(byte[]::clone).toList();
            if (serverKeys.isEmpty() && serverKeyPins.isEmpty()) {
                throw new IllegalArgumentException("no server key: the bundle must pin the server's raw public key "
                        + "(a SubjectPublicKeyInfo or its SHA-256)");
            }
            for (byte[] pin : serverKeyPins) {
                if (pin.length != 32) {
                    throw new IllegalArgumentException("a server key pin must be a 32-byte SHA-256, one has "
                            + pin.length + " bytes");
                }
            }
        }

        /** The pins; copies. */
        @Override
        public List<byte[]> serverKeyPins() {
            return serverKeyPins.stream().map(byte[]::clone).toList();
        }

        @Override
        public String toString() {
            return "RawKey[private key redacted, " + serverKeys.size() + " server keys, " + serverKeyPins.size()
                    + " pins]";
        }
    }

    /**
     * X.509 certificates with {@code TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8}: the server's chain must end at
     * one of {@code trustAnchors} and its leaf must name {@code serverHost} (RFC 6125).
     *
     * @param privateKey   this device's P-256 private key
     * @param chain        this device's certificate chain, leaf first, without the root
     * @param trustAnchors the certificates the server's chain must end at
     * @param serverHost   the DNS name the server certificate must carry; also sent as SNI
     */
    record Certificates(PrivateKey privateKey, List<X509Certificate> chain, List<X509Certificate> trustAnchors,
                        String serverHost) implements ClientCredentials {

        /** Checks and copies. */
        public Certificates {
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(serverHost, "serverHost");
            chain = List.copyOf(chain);
            trustAnchors = List.copyOf(trustAnchors);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("the client certificate chain is empty");
            }
            if (trustAnchors.isEmpty()) {
                throw new IllegalArgumentException("no trust anchor: the bundle must name the CA the server's "
                        + "certificate chains to");
            }
        }

        @Override
        public String toString() {
            return "Certificates[private key redacted, leaf " + chain.get(0).getSubjectX500Principal().getName()
                    + ", " + trustAnchors.size() + " trust anchors, host " + serverHost + "]";
        }
    }
}
