package dev.fleetkey.service.pki;

import java.security.KeyPair;
import java.time.Duration;

/** Makes credentials for the operator's DTLS servers: a certificate from the server CA, or a raw key. */
public final class ServerCredentialIssuer {

    private final CertificateIssuer certificates;
    private final P256Crypto crypto;

    /** @param certificates an issuer on the server CA with {@link CertificateProfile#server} */
    public ServerCredentialIssuer(CertificateIssuer certificates, P256Crypto crypto) {
        this.certificates = certificates;
        this.crypto = crypto;
    }

    /**
     * A fresh P-256 key and a certificate naming {@code fqdn} (CN and SAN dNSName, serverAuth).
     *
     * @throws IllegalArgumentException if {@code fqdn} is not a DNS name
     */
    public ServerCredential issueServerCertificate(String fqdn, Duration validity) {
        return issueServerCertificate(fqdn, validity, crypto.generateKeyPair());
    }

    /**
     * A certificate naming {@code fqdn} for a key pair made elsewhere, e.g. inside the token of a
     * {@link KeyVault} that keeps the key.
     *
     * @throws IllegalArgumentException if {@code fqdn} is not a DNS name
     */
    public ServerCredential issueServerCertificate(String fqdn, Duration validity, KeyPair keys) {
        var leaf = certificates.issue(new CertificateRequest(new CertificateSubject.Server(fqdn), keys.getPublic(),
                validity));
        return new ServerCredential(keys.getPrivate(), certificates.chainFor(leaf));
    }

    /** A fresh P-256 key pair for a server authenticated by its raw public key. */
    public ServerRawPublicKey issueServerRawPublicKey() {
        KeyPair keys = crypto.generateKeyPair();
        return new ServerRawPublicKey(keys.getPrivate(), keys.getPublic());
    }
}
