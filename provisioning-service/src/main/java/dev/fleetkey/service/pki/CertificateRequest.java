package dev.fleetkey.service.pki;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;

/**
 * What a certificate is asked for: whose it is, which key it certifies, and for how long.
 *
 * @param subject   device or server
 * @param publicKey the key to certify (a P-256 key; the issuance rules refuse others)
 * @param validity  lifetime from now, as the template says; cut at the issuing CA's own expiry
 */
public record CertificateRequest(CertificateSubject subject, PublicKey publicKey, Duration validity) {

    public CertificateRequest {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(publicKey, "publicKey");
        if (validity == null || validity.isZero() || validity.isNegative()) {
            throw new IllegalArgumentException("Certificate validity must be positive, was " + validity);
        }
    }
}
