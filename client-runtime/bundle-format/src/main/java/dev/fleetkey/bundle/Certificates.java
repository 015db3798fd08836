package dev.fleetkey.bundle;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * X.509 certificates to and from the DER a bundle carries (client chains, trust anchors): the one place both
 * sides parse and encode them. Callers turn a failure into their own error, naming what was being read.
 */
public final class Certificates {

    private Certificates() {
    }

    /** One DER certificate, parsed. */
    public static X509Certificate parse(byte[] der) throws CertificateException {
        return parse(List.of(der)).get(0);
    }

    /** DER certificates, parsed, in their order. */
    public static List<X509Certificate> parse(List<byte[]> ders) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : ders) {
            out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        return out;
    }

    /** The certificate's DER encoding; empty when it has none (a certificate object that cannot be encoded). */
    public static Optional<byte[]> encoded(X509Certificate certificate) {
        try {
            return Optional.of(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            return Optional.empty();
        }
    }
}
