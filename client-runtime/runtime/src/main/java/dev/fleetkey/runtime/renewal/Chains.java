package dev.fleetkey.runtime.renewal;

import dev.fleetkey.runtime.ServerConfigurationException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** DER certificates from a bundle, parsed. */
final class Chains {

    private Chains() {
    }

    static List<X509Certificate> parse(List<byte[]> ders) throws ServerConfigurationException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : ders) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new ServerConfigurationException("a certificate in the bundle does not parse: " + e.getMessage());
        }
        return out;
    }
}
