package dev.fleetkey.runtime.renewal;

import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.runtime.ServerConfigurationException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/** DER certificates from a bundle, parsed. */
final class Chains {

    private Chains() {
    }

    static List<X509Certificate> parse(List<byte[]> ders) throws ServerConfigurationException {
        try {
            return Certificates.parse(ders);
        } catch (CertificateException e) {
            throw new ServerConfigurationException("a certificate in the bundle does not parse: " + e.getMessage());
        }
    }
}
