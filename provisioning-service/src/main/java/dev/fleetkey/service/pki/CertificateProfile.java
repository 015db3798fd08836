package dev.fleetkey.service.pki;

import java.time.Clock;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * A named, ordered list of {@link IssuanceRule}s. Order matters where one rule reads what another set:
 * the subject name comes before subjectAltName (whose criticality depends on it).
 */
public record CertificateProfile(String name, List<IssuanceRule> rules) {

    public CertificateProfile {
        rules = List.copyOf(rules);
    }

    /** Device client certificates: CN = EUI-64, SAN = RFC 9039 URN, digitalSignature, clientAuth; a CRL URL if asked. */
    public static CertificateProfile deviceClient(SerialNumbers serials, Clock clock) {
        return leaf("device-client", serials, clock, IssuanceRules.deviceUrnSubjectAltName(),
                KeyPurposeId.id_kp_clientAuth);
    }

    /** DTLS server certificates: CN and SAN dNSName = FQDN, digitalSignature, serverAuth. */
    public static CertificateProfile server(SerialNumbers serials, Clock clock) {
        return leaf("server", serials, clock, IssuanceRules.dnsSubjectAltName(), KeyPurposeId.id_kp_serverAuth);
    }

    /**
     * What every leaf certificate gets, with the subjectAltName and extended key usage of its kind; a CRL distribution
     * point only when the request asks for one.
     */
    private static CertificateProfile leaf(String name, SerialNumbers serials, Clock clock, IssuanceRule subjectAltName,
            KeyPurposeId purpose) {
        return new CertificateProfile(name, List.of(
                IssuanceRules.p256PublicKey(),
                IssuanceRules.randomSerial(serials),
                IssuanceRules.validity(clock, CertificateAuthorities.BACKDATE),
                IssuanceRules.commonName(),
                subjectAltName,
                IssuanceRules.digitalSignatureKeyUsage(),
                IssuanceRules.extendedKeyUsage(purpose),
                IssuanceRules.subjectKeyIdentifier(),
                IssuanceRules.authorityKeyIdentifier(),
                IssuanceRules.crlDistributionPoint()));
    }
}
