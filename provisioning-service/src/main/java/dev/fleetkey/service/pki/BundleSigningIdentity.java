package dev.fleetkey.service.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The key and self-signed certificate that sign config bundles. The certificate is the trust anchor
 * devices (and {@code openssl cms -verify -CAfile}) check bundles against.
 *
 * @param privateKey  ECDSA P-256 key (never printed)
 * @param certificate self-signed, keyUsage digitalSignature (critical), no extendedKeyUsage
 */
public record BundleSigningIdentity(PrivateKey privateKey, X509Certificate certificate) {

    public BundleSigningIdentity {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
    }

    @Override
    public String toString() {
        return "BundleSigningIdentity[subject=" + certificate.getSubjectX500Principal().getName()
                + ", privateKey=<hidden>]";
    }
}
