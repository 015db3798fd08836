package dev.fleetkey.service.pki;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;

/** The issuance rules, one per constraint or extension. Profiles combine them ({@link CertificateProfile}). */
public final class IssuanceRules {

    /** RFC 5280 ub-common-name: a longer server name goes in subjectAltName only. */
    static final int MAX_COMMON_NAME = 64;

    private IssuanceRules() {
    }

    /** Refuses any key but ECDSA P-256 (secp256r1): the profile's only curve. */
    public static IssuanceRule p256PublicKey() {
        return (request, issuer, draft) -> {
            AlgorithmIdentifier algorithm = spki(request.publicKey()).getAlgorithm();
            ASN1Encodable curve = algorithm.getParameters();
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                    || !SECObjectIdentifiers.secp256r1.equals(curve)) {
                throw new IllegalArgumentException("Only ECDSA P-256 (secp256r1) keys are certified; got "
                        + request.publicKey().getAlgorithm() + (curve instanceof ASN1ObjectIdentifier ? " " + curve : ""));
            }
        };
    }

    /** A random positive serial of 127 bits, claimed in the CA's serial registry. */
    public static IssuanceRule randomSerial(SerialNumbers serials) {
        return (request, issuer, draft) -> draft.serial(serials.next(issuer.certificate()));
    }

    /**
     * Valid from {@code backdate} before now (devices with a slow clock) for the requested lifetime, but never
     * beyond the issuing CA: a leaf outliving its issuer would fail path validation anyway.
     */
    public static IssuanceRule validity(Clock clock, Duration backdate) {
        return (request, issuer, draft) -> {
            Instant now = clock.instant();
            Instant notAfter = now.plus(request.validity());
            Instant issuerNotAfter = issuer.certificate().getNotAfter().toInstant();
            draft.validity(now.minus(backdate), notAfter.isAfter(issuerNotAfter) ? issuerNotAfter : notAfter);
        };
    }

    /** Subject CN: the canonical EUI-64 for a device, the FQDN for a server (if it fits in a CN). */
    public static IssuanceRule commonName() {
        return (request, issuer, draft) -> {
            String cn = request.subject().commonName();
            if (cn.length() <= MAX_COMMON_NAME) {
                draft.subject(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build());
            }
        };
    }

    /**
     * cRLDistributionPoints (RFC 5280 section 4.2.1.13, not critical) with the request's CRL URL as the one full
     * name, when the request names one (the template asks for it).
     */
    public static IssuanceRule crlDistributionPoint() {
        return (request, issuer, draft) -> {
            if (request.crlDistributionPoint() == null) {
                return;
            }
            GeneralNames url = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                    request.crlDistributionPoint().toString()));
            draft.addExtension(extension(Extension.cRLDistributionPoints, false, new CRLDistPoint(
                    new DistributionPoint[] {new DistributionPoint(new DistributionPointName(url), null, null)})));
        };
    }

    /** subjectAltName URI {@code urn:dev:mac:<eui64>} (RFC 9039). Devices only. */
    public static IssuanceRule deviceUrnSubjectAltName() {
        return (request, issuer, draft) -> {
            if (!(request.subject() instanceof CertificateSubject.Device)) {
                throw new IllegalArgumentException("A device certificate profile was asked to certify "
                        + request.subject() + "; use the server profile for servers");
            }
            String urn = ((CertificateSubject.Device) request.subject()).eui64().urn();
            addSubjectAltName(draft, new GeneralName(GeneralName.uniformResourceIdentifier, urn));
        };
    }

    /** subjectAltName dNSName = the server's FQDN (RFC 6125). Servers only. */
    public static IssuanceRule dnsSubjectAltName() {
        return (request, issuer, draft) -> {
            if (!(request.subject() instanceof CertificateSubject.Server)) {
                throw new IllegalArgumentException("A server certificate profile was asked to certify "
                        + request.subject() + "; use the device profile for devices");
            }
            String fqdn = ((CertificateSubject.Server) request.subject()).fqdn();
            addSubjectAltName(draft, new GeneralName(GeneralName.dNSName, fqdn));
        };
    }

    /** keyUsage digitalSignature, critical: ECDHE_ECDSA signs handshakes and nothing else. */
    public static IssuanceRule digitalSignatureKeyUsage() {
        return (request, issuer, draft) -> draft.addExtension(extension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature)));
    }

    /** extendedKeyUsage with one purpose (clientAuth for devices, serverAuth for servers), not critical. */
    public static IssuanceRule extendedKeyUsage(KeyPurposeId purpose) {
        return (request, issuer, draft) -> draft.addExtension(extension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(purpose)));
    }

    /** subjectKeyIdentifier: SHA-1 of the subject public key (RFC 5280 4.2.1.2 method 1). */
    public static IssuanceRule subjectKeyIdentifier() {
        return (request, issuer, draft) -> draft.addExtension(extension(Extension.subjectKeyIdentifier, false,
                new BcX509ExtensionUtils().createSubjectKeyIdentifier(spki(request.publicKey()))));
    }

    /** authorityKeyIdentifier: the issuer's own subjectKeyIdentifier (or one computed if it has none). */
    public static IssuanceRule authorityKeyIdentifier() {
        return (request, issuer, draft) -> {
            byte[] issuerSki = issuer.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
            byte[] keyId = issuerSki != null
                    ? SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(issuerSki).getOctets())
                            .getKeyIdentifier()
                    : new BcX509ExtensionUtils().createSubjectKeyIdentifier(spki(issuer.certificate().getPublicKey()))
                            .getKeyIdentifier();
            draft.addExtension(extension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId)));
        };
    }

    private static void addSubjectAltName(CertificateDraft draft, GeneralName name) {
        // with an empty subject DN the SAN carries the identity alone and must be critical (RFC 5280 4.2.1.6)
        draft.addExtension(extension(Extension.subjectAlternativeName, draft.subjectIsEmpty(), new GeneralNames(name)));
    }

    static SubjectPublicKeyInfo spki(PublicKey key) {
        return SubjectPublicKeyInfo.getInstance(key.getEncoded());
    }

    private static Extension extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            return new Extension(oid, critical, value.toASN1Primitive().getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode extension " + oid, e);
        }
    }
}
