package dev.fleetkey.service.pki;

import dev.fleetkey.bundle.Sha256;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A DTLS server's raw public key (RFC 7250): devices pin its SubjectPublicKeyInfo or that key's SHA-256.
 *
 * @param privateKey the server's key (never printed)
 * @param publicKey  its P-256 public key
 */
public record ServerRawPublicKey(PrivateKey privateKey, PublicKey publicKey) {

    public ServerRawPublicKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** SubjectPublicKeyInfo DER, as a bundle carries it. */
    public byte[] subjectPublicKeyInfo() {
        return publicKey.getEncoded();
    }

    /** SHA-256 of the SubjectPublicKeyInfo DER: the pin. */
    public byte[] fingerprint() {
        return Sha256.digest(subjectPublicKeyInfo());
    }

    public String publicKeyPem() {
        return ServerCredential.pem(publicKey);
    }

    /** Unencrypted PKCS#8 PEM; protect the file it goes to. */
    public String privateKeyPem() {
        return ServerCredential.pkcs8Pem(privateKey);
    }

    @Override
    public String toString() {
        return "ServerRawPublicKey[sha256=" + HexFormat.of().formatHex(fingerprint()) + ", privateKey=<hidden>]";
    }
}
