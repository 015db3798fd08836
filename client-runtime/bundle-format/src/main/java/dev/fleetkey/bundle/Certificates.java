package dev.fleetkey.bundle;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * X.509 certificates to and from the DER a bundle carries (client chains, trust anchors): the one place both
 * sides parse and encode them. Callers turn a failure into their own error, naming what was being read.
 */
public final class Certificates {

    /** A subject alternative name of type dNSName (RFC 5280 section 4.2.1.6), for {@link #alternativeNames}. */
    public static final int DNS_NAME = 2;
    /** A subject alternative name of type uniformResourceIdentifier, for {@link #alternativeNames}. */
    public static final int URI = 6;

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

    /**
     * The certificate's subject alternative names of one type ({@link #DNS_NAME}, {@link #URI}), in its order;
     * none when it has no such extension.
     *
     * @throws CertificateParsingException the extension does not parse
     */
    public static List<String> alternativeNames(X509Certificate certificate, int type)
            throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return List.of();
        }
        return names.stream().filter(name -> Integer.valueOf(type).equals(name.get(0)))
                .map(name -> String.valueOf(name.get(1))).toList();
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
