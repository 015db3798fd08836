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
        return new CertificateProfile("device-client", List.of(
                IssuanceRules.p256PublicKey(),
                IssuanceRules.randomSerial(serials),
                IssuanceRules.validity(clock, CertificateAuthorities.BACKDATE),
                IssuanceRules.commonName(),
                IssuanceRules.deviceUrnSubjectAltName(),
                IssuanceRules.digitalSignatureKeyUsage(),
                IssuanceRules.extendedKeyUsage(KeyPurposeId.id_kp_clientAuth),
                IssuanceRules.subjectKeyIdentifier(),
                IssuanceRules.authorityKeyIdentifier(),
                IssuanceRules.crlDistributionPoint()));
    }

    /** DTLS server certificates: CN and SAN dNSName = FQDN, digitalSignature, serverAuth. */
    public static CertificateProfile server(SerialNumbers serials, Clock clock) {
        return new CertificateProfile("server", List.of(
                IssuanceRules.p256PublicKey(),
                IssuanceRules.randomSerial(serials),
                IssuanceRules.validity(clock, CertificateAuthorities.BACKDATE),
                IssuanceRules.commonName(),
                IssuanceRules.dnsSubjectAltName(),
                IssuanceRules.digitalSignatureKeyUsage(),
                IssuanceRules.extendedKeyUsage(KeyPurposeId.id_kp_serverAuth),
                IssuanceRules.subjectKeyIdentifier(),
                IssuanceRules.authorityKeyIdentifier()));
    }
}
