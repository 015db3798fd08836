package dev.fleetkey.service.pki;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;

/**
 * The DER payloads of EST (RFC 7030 section 4) that carry certificates: a certs-only CMS (a SignedData with
 * no signer and no content, RFC 5652 and RFC 8551 section 3.6), and the CSR attributes a device should use.
 */
public final class EstEncodings {

    private EstEncodings() {
    }

    /** {@code application/pkcs7-mime; smime-type=certs-only} holding {@code certificates}, in that order. */
    public static byte[] certsOnly(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(certificates));
            return generator.generate(new CMSAbsentContent(), false).getEncoded(ASN1Encoding.DER);
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("Cannot encode a certs-only CMS", e);
        }
    }

    /** A certs-only CMS carrying one CRL (DER) and no certificate: the S/MIME way of sending a CRL. */
    public static byte[] certsOnlyWithCrl(byte[] crl) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCRL(new X509CRLHolder(crl));
            return generator.generate(new CMSAbsentContent(), false).getEncoded(ASN1Encoding.DER);
        } catch (CMSException | IOException e) {
            throw new IllegalStateException("Cannot encode a certs-only CMS with a CRL", e);
        }
    }

    /**
     * {@code application/csrattrs} (RFC 7030 section 4.5.2) for the profile's keys: sign with ecdsa-with-SHA256,
     * and an EC public key on secp256r1 (P-256). The subject and subjectAltName are the service's to write,
     * so a CSR may leave them out.
     */
    public static byte[] p256CsrAttributes() {
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(X9ObjectIdentifiers.ecdsa_with_SHA256);
        attributes.add(new Attribute(X9ObjectIdentifiers.id_ecPublicKey, new DERSet(SECObjectIdentifiers.secp256r1)));
        try {
            return new DERSequence(attributes).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode the CSR attributes", e);
        }
    }
}
