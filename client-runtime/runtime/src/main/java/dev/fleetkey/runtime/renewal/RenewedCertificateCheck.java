package dev.fleetkey.runtime.renewal;

import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.bundle.Eui64;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a device checks before it uses a certificate the server sent back: it certifies the key the device just
 * made, names this device as its certificates do (CN = canonical EUI-64, subjectAltName URI
 * {@code urn:dev:mac:...}), is a client certificate, is valid now, and chains (through the intermediates of the
 * current chain) to the bundle's trust anchors.
 */
final class RenewedCertificateCheck {

    /** CoAP content formats of RFC 9148 for the answer. */
    static final int PKIX_CERT = 287, PKCS7_CERTS = 281;
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private RenewedCertificateCheck() {
    }

    /** The leaf from an answer's payload: one DER certificate (287) or a PKCS#7 certs-only bundle (281). */
    static X509Certificate leaf(byte[] payload, int contentFormat, PublicKey newKey)
            throws RenewedCertificateRejectedException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends java.security.cert.Certificate> certificates = contentFormat == PKCS7_CERTS
                    ? factory.generateCertificates(new ByteArrayInputStream(payload))
                    : List.of(factory.generateCertificate(new ByteArrayInputStream(payload)));
            for (java.security.cert.Certificate certificate : certificates) {
                if (Arrays.equals(certificate.getPublicKey().getEncoded(), newKey.getEncoded())) {
                    return (X509Certificate) certificate;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new RenewedCertificateRejectedException("the server's answer (content-format " + contentFormat
                    + ") holds no parsable certificate: " + e.getMessage(), e);
        }
        throw new RenewedCertificateRejectedException("the certificate the server sent does not certify the key this"
                + " device just made");
    }

    /** Checks {@code leaf}; returns the chain to use: the leaf and the current chain's intermediates. */
    static List<X509Certificate> check(X509Certificate leaf, Eui64 device, List<X509Certificate> currentChain,
                                       List<X509Certificate> anchors, Instant now, Duration clockSkew)
            throws RenewedCertificateRejectedException {
        String cn = leaf.getSubjectX500Principal().getName();
        if (!cn.equals("CN=" + device.canonical())) {
            throw new RenewedCertificateRejectedException("the renewed certificate's subject is '" + cn
                    + "', not CN=" + device.canonical() + " (this device)");
        }
        if (!subjectAltNameUris(leaf).contains(device.urn().toLowerCase(Locale.ROOT))) {
            throw new RenewedCertificateRejectedException("the renewed certificate does not carry the subjectAltName "
                    + device.urn() + " (this device)");
        }
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            if (usages != null && !usages.contains(CLIENT_AUTH)) {
                throw new RenewedCertificateRejectedException("the renewed certificate is not for client"
                        + " authentication (extendedKeyUsage " + usages + ")");
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new RenewedCertificateRejectedException("the renewed certificate's extendedKeyUsage does not parse", e);
        }
        if (now.plus(clockSkew).isBefore(leaf.getNotBefore().toInstant()) || !now.isBefore(leaf.getNotAfter().toInstant())) {
            throw new RenewedCertificateRejectedException("the renewed certificate is valid from " + leaf.getNotBefore()
                    .toInstant() + " to " + leaf.getNotAfter().toInstant() + ", not now (" + now + "): check the device clock");
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(currentChain.subList(1, currentChain.size()));
        try {
            Set<TrustAnchor> trust = new HashSet<>();
            anchors.forEach(anchor -> trust.add(new TrustAnchor(anchor, null)));
            PKIXParameters parameters = new PKIXParameters(trust);
            parameters.setRevocationEnabled(false);
            // a device clock within the skew behind the issuer's is accepted, as for bundles
            Instant notBefore = leaf.getNotBefore().toInstant();
            parameters.setDate(Date.from(now.isBefore(notBefore) ? notBefore : now));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
        } catch (GeneralSecurityException e) {
            throw new RenewedCertificateRejectedException("the renewed certificate does not chain to the bundle's trust"
                    + " anchors through the current chain's intermediates (" + e.getMessage() + ")", e);
        }
        return chain;
    }

    private static Set<String> subjectAltNameUris(X509Certificate certificate) throws RenewedCertificateRejectedException {
        try {
            return Certificates.alternativeNames(certificate, Certificates.URI).stream()
                    .map(uri -> uri.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        } catch (java.security.cert.CertificateParsingException e) {
            throw new RenewedCertificateRejectedException("the renewed certificate's subjectAltName does not parse", e);
        }
    }
}
