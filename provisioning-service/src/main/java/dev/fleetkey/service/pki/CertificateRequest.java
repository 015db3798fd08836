package dev.fleetkey.service.pki;

import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;

/**
 * What a certificate is asked for: whose it is, which key it certifies, and for how long.
 *
 * @param subject   device or server
 * @param publicKey the key to certify (a P-256 key; the issuance rules refuse others)
 * @param validity  lifetime from now, as the template says; cut at the issuing CA's own expiry
 * @param crlDistributionPoint the URL of the issuing CA's CRL to name in the certificate; null for none
 */
public record CertificateRequest(CertificateSubject subject, PublicKey publicKey, Duration validity,
        URI crlDistributionPoint) {

    /** A request for a certificate without a CRL distribution point. */
    public CertificateRequest(CertificateSubject subject, PublicKey publicKey, Duration validity) {
        this(subject, publicKey, validity, null);
    }

    public CertificateRequest {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(publicKey, "publicKey");
        if (validity == null || validity.isZero() || validity.isNegative()) {
            throw new IllegalArgumentException("Certificate validity must be positive, was " + validity);
        }
    }
}
