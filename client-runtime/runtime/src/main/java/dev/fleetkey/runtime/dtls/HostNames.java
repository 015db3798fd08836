package dev.fleetkey.runtime.dtls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.eclipse.californium.elements.util.CertPathUtil;
import org.eclipse.californium.elements.util.StringUtil;

import dev.fleetkey.bundle.Certificates;

/**
 * RFC 6125 server identity check: DNS-ID (subjectAltName dNSName) first, the subject common name only
 * when the certificate has no dNSName (section 6.4.4), a wildcard only as the whole left-most label
 * matching exactly one label (section 6.4.3). An IP literal host is matched against iPAddress entries.
 */
final class HostNames {

    private HostNames() {
    }

    static boolean matches(X509Certificate certificate, String host) {
        if (StringUtil.isLiteralIpAddress(host)) {
            return CertPathUtil.matchLiteralIP(certificate, host);
        }
        String wanted = normalise(host);
        for (String name : presented(certificate)) {
            if (matchesOne(normalise(name), wanted)) {
                return true;
            }
        }
        return false;
    }

    /** The DNS names the certificate carries, or its common names when it has none. */
    static List<String> presented(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            names.addAll(Certificates.alternativeNames(certificate, Certificates.DNS_NAME));
        } catch (CertificateParsingException e) {
            return names; // an unparseable SAN matches nothing
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if ("CN".equalsIgnoreCase(rdn.getType())) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                return names;
            }
        }
        return names;
    }

    private static boolean matchesOne(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            // "*" stands for exactly one label, never a public suffix alone: need two labels after it
            return dot > 0 && pattern.substring(1).equals(host.substring(dot)) && pattern.indexOf('.', 2) > 0;
        }
        return pattern.equals(host);
    }

    private static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
