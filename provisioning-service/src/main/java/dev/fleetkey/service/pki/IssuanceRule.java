package dev.fleetkey.service.pki;

/**
 * One step of certificate issuance: checks one thing about the request or sets one field or extension of
 * the draft (in the manner of step-ca's sign options). Rules refuse what they cannot certify with an
 * {@link IllegalArgumentException} naming what to fix.
 */
@FunctionalInterface
public interface IssuanceRule {

    void apply(CertificateRequest request, IssuingCa issuer, CertificateDraft draft);
}
